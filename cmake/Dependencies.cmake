# Finds every third-party dependency. All of them are Debian bookworm packages installed by
# scripts/install-deps.sh; a missing one fails here with the package's name.

find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(yaml-cpp CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(leveldb CONFIG REQUIRED)
pkg_check_modules(RAFT REQUIRED IMPORTED_TARGET raft)
pkg_check_modules(LIBUV REQUIRED IMPORTED_TARGET libuv)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

if(CARELEDGER_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(CARELEDGER_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
