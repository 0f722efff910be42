# Driver of the wire_compat CTest tests (cmake -P), so that each step's failure is reported clearly.
#   -DSTEP=install    NODE, NPM, NODE_DIR: npm ci of the pinned packages in NODE_DIR
#   -DSTEP=roundtrip  NODE, NODE_DIR, TOOL, WORK_DIR, PROTOS (comma-separated): the round trip and the check
cmake_minimum_required(VERSION 3.25)

# Looked up again at test time, in case Node was installed after CMake ran.
if(NOT NODE)
  find_program(NODE NAMES node nodejs)
endif()
if(NOT NODE)
  message(FATAL_ERROR "wire_compat needs Node.js, which was not found on PATH. "
                      "Install the Debian packages nodejs and npm (scripts/install-deps.sh).")
endif()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "wire_compat: ${what} failed (${rc})")
  endif()
endfunction()

if(STEP STREQUAL "install")
  if(NOT NPM)
    find_program(NPM NAMES npm)
  endif()
  if(NOT NPM)
    message(FATAL_ERROR "wire_compat needs npm, which was not found on PATH. "
                        "Install the Debian package npm (scripts/install-deps.sh).")
  endif()
  # --ignore-scripts: no third-party install scripts run on a build machine; these packages need none.
  run("npm ci in ${NODE_DIR}" ${CMAKE_COMMAND} -E chdir ${NODE_DIR}
      ${NPM} ci --no-audit --no-fund --ignore-scripts)
elseif(STEP STREQUAL "roundtrip")
  if(NOT EXISTS ${NODE_DIR}/node_modules/@hyperledger/fabric-protos)
    message(FATAL_ERROR "wire_compat: ${NODE_DIR}/node_modules is not installed; run the wire_compat_npm_ci test")
  endif()
  string(REPLACE "," ";" proto_files "${PROTOS}")
  file(REMOVE_RECURSE ${WORK_DIR})
  file(MAKE_DIRECTORY ${WORK_DIR})
  run("wire_compat_tool write" ${TOOL} write ${WORK_DIR} ${proto_files})
  run("node fabric_roundtrip.js" ${NODE} ${NODE_DIR}/fabric_roundtrip.js ${WORK_DIR})
  run("wire_compat_tool check" ${TOOL} check ${WORK_DIR})
else()
  message(FATAL_ERROR "run_wire_compat.cmake: unknown STEP '${STEP}'")
endif()
