# The gateway_node_npm_ci test (cmake -P): npm ci of the pinned packages in NODE_DIR, then a check that the
# client loads. NODE and NPM as CMake found them (looked up again here, in case they were installed since).
cmake_minimum_required(VERSION 3.25)

if(NOT NODE)
  find_program(NODE NAMES node nodejs)
endif()
if(NOT NPM)
  find_program(NPM NAMES npm)
endif()
if(NOT NODE OR NOT NPM)
  message(FATAL_ERROR "gateway_node needs Node.js and npm, not found on PATH (node: '${NODE}', npm: '${NPM}'). "
                      "Install the Debian packages nodejs and npm (scripts/install-deps.sh).")
endif()

# fabric-gateway 1.12.1 declares Node >= 22.12; it runs on 20.19 or later too, the first 20.x that loads ES
# modules with require() as it loads its dependency @noble/curves 2. Older Node.js (Debian bookworm's own 18.x)
# cannot load it at all.
execute_process(COMMAND ${NODE} --version OUTPUT_VARIABLE node_version OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE rc)
string(REGEX REPLACE "^v" "" node_version "${node_version}")
if(NOT rc EQUAL 0 OR node_version VERSION_LESS 20.19)
  message(FATAL_ERROR "gateway_node needs Node.js 20.19 or later (fabric-gateway 1.12.1 asks for 22.12); ${NODE} "
                      "is '${node_version}'")
endif()

# --ignore-scripts: no third-party install scripts run on a build machine. The only package with one is
# pkcs11js, fabric-gateway's optional HSM support, which these tests do not load.
execute_process(COMMAND ${NPM} ci --no-audit --no-fund --ignore-scripts
                WORKING_DIRECTORY ${NODE_DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gateway_node: npm ci in ${NODE_DIR} failed (${rc}); it needs the npm registry or a warm "
                      "npm cache")
endif()

execute_process(COMMAND ${NODE} --check gateway_client_test.js
                WORKING_DIRECTORY ${NODE_DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gateway_node: gateway_client_test.js does not parse (${rc})")
endif()
execute_process(COMMAND ${NODE} -e "require('@hyperledger/fabric-gateway'); require('@grpc/grpc-js')"
                WORKING_DIRECTORY ${NODE_DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gateway_node: the installed @hyperledger/fabric-gateway does not load with ${NODE} (${rc})")
endif()
