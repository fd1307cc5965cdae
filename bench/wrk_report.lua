-- Printed by wrk when a run ends: one line bench/loadtest.py reads.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "LOADTEST requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d " ..
    "status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
