# Warnings, ccache and the sanitizer build. Included once from the top-level CMakeLists.txt.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

# Warnings apply to our own targets only (careledger_target_defaults), never to generated protobuf code.
set(CARELEDGER_WARNINGS -Wall -Wextra -Wpedantic -Wno-unused-parameter)

if(CARELEDGER_SANITIZE)
  set(CARELEDGER_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer)
  add_compile_options(${CARELEDGER_SANITIZER_FLAGS})
  add_link_options(${CARELEDGER_SANITIZER_FLAGS})
endif()
