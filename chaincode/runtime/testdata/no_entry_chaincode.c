/* Test-only: a valid shared library that is not a chaincode (it exports no careledger_chaincode_v1). */
__attribute__((visibility("default"))) int not_a_chaincode(void) { return 1; }
