/** Every SCENARIOS.md scenario written as rules; docs/rule-language.md shows the same text. */
export const scenarioRules: Readonly<Record<string, string>> = {
  S1: `
# S1: ping above 500 ms, one alert per (agent, target); every point is evaluated as it arrives.
rule high_ping {
  when ping_ms > 500
  by (agent, target)
  severity warning
  annotations {
    summary = "ping from {{ $labels.agent }} to {{ $labels.target }} is {{ $value }} ms"
  }
  notify slack
}
`,
  S2: `
# S2: errors as a % of requests per cluster, on 1m steps, in at least 4 of the last 5 steps.
rule error_ratio {
  when sum(errors) by (cluster) / sum(rps) by (cluster) * 100 > 50
  step 1m
  for 4 of 5 steps
  severity critical
  annotations {
    summary = "{{ $value }}% of requests fail on {{ $labels.cluster }}"
  }
  notify pagerduty
}
`,
  S3: `
# S3: one alert per cluster, however many of its nodes run hot.
rule cluster_cpu_high {
  when max(cpu_percent) by (cluster) > 90
  for 5m
  clear when max(cpu_percent) by (cluster) < 80
  severity critical
  scope cluster
}
`,
  S4: `
# S4: alerts of a cluster are suppressed while it upgrades: the scope names the cluster.
rule disk_full {
  when disk_used_percent > 95
  by (cluster, node)
  for 2m
  scope cluster
  notify slack
}
`,
  S5: `
# S5: a kernel error signature, one alertable per cluster, one incident across clusters.
rule kernel_oops {
  when count_over(count(event log{signature = "kernel-oops"}) by (cluster), 30m) > 0
  severity critical
  annotations {
    summary = "kernel oops on {{ $labels.cluster }}"
  }
  notify ticket
  signature "kernel-oops"
  scope cluster
}
`,
  S6: `
# S6: delivery retries are configured per target; the rule only names where to deliver.
rule backup_failed {
  when sum(backup_failures) by (cluster) > 0
  notify slack, ticket, "ops-webhook", email
  scope cluster
}
`,
  S7: `
# S7: silent failures, backlog, latency, throughput and error %.
rule customer_stopped_sending {
  when sum(messages_received) by (customer) < 1
  no data for 10m
  severity critical
  annotations {
    summary = "no messages from {{ $labels.customer }} for 10 minutes"
  }
}

rule queue_message_age {
  when max(queue_message_age_seconds) by (queue) > 300
  for 5m
}

rule queue_building_up {
  when growing(max(queue_depth) by (queue), 3)
}

rule throughput_dropped {
  when rate(messages_processed) by (customer) < 0.5 * (rate(messages_processed) by (customer) offset 1h)
  for 10m
}

rule failure_percent {
  when fill(sum(failed) by (customer), 0) / sum(total) by (customer) * 100 > 5
  for 3 of 5 steps
}
`,
  S8: `
# S8: one test runs on 12 agents. A round (one 1m step) of a test is complete as soon as all
# 12 agents reported it, or when the allowed lateness has passed, whichever is first.
rule probe_loss {
  when avg(probe_loss_percent) by (test) > 5
  step 1m
  expect 12 sources by (agent)
  no data for 5m hold
  annotations {
    summary = "{{ $value }}% probe loss on {{ $labels.test }}"
  }
}
`,
  S9: `
# S9: a job that started and did not finish within 2 hours; a node whose heartbeats stopped.
rule backup_job_too_long {
  when event job.started without event job.finished within 2h
  by (job_id)
  severity warning
  annotations {
    summary = "backup job {{ $labels.job_id }} has been running for more than 2 hours"
  }
}

rule node_heartbeat_lost {
  when count(event heartbeat) by (cluster, node) < 1
  no data for 5m
  severity critical
  scope cluster
  inhibit
}
`,
};
