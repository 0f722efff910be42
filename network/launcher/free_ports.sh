# Sourced by the tests that run a whole network with `careledger network up`: a free range of ports for it.
# free_port_base SPAN prints a base port B (a multiple of 10 from 20000) such that nothing listens on B..B+SPAN-1;
# it exits the test if it finds none in 20 tries. The range stays below 32768, where Linux's ephemeral ports
# (the local ends of outgoing connections, other tests' "any free port") begin.
free_port_base() {
  local span=$1 candidate
  for _ in $(seq 1 20); do
    candidate=$(( (RANDOM % (1270 - span / 10)) * 10 + 20000 ))
    if ! ss -Hltn 2>/dev/null | awk '{print $4}' | sed 's/.*://' |
         awk -v lo="$candidate" -v hi=$((candidate + span - 1)) '$1 >= lo && $1 <= hi {found=1} END {exit !found}'; then
      echo "$candidate"
      return 0
    fi
  done
  echo "FAIL: no free range of $span ports" >&2
  exit 1
}
