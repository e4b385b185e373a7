export const USAGE = `Usage: moonpool sim <command> [options]
       moonpool merge <files...> [--out <file>] [--report <file.html>] [--json]
       moonpool campaign <command> --redis <url> [options]

Commands:
  sim list              List the discovered simulations
  sim run <filter>      Run the simulations whose name contains <filter>
                        (only the one whose name equals <filter>, if there is one)
  sim run-all           Run every discovered simulation
  merge <files...>      Merge mergeable reports (--out of shards) into the whole run's report
  campaign …            Seeds spread over workers through Redis (moonpool campaign --help)

Options:
  --seed <u64>          Run exactly this seed (repeatable); reproduces a failing seed
  --iterations <n>      Number of iterations (a positive integer)
  --base-seed <u64>     Start of the generated seed sequence
  --recipe <s>          Replay one timeline found by exploration: '<seed>:<count>@<seed> -> ...'
  --stall-timeout <s>   Stop with exit 1, naming the seed, when an iteration makes no
                        progress for <s> wall-clock seconds (default 60; 0: never)
  --check-determinism   Run every seed twice; fail at the first one whose two runs differ
  --shard <i/n>         Run only shard i of n (a contiguous block of the iteration indices)
  --range <from:to>     Run only the iteration indices [from, to)
  --out <file>          Write a mergeable JSON report (see docs/sharding.md); for merge: the merge
  --trace <file.json>   Write the execution (one --seed, or --recipe) as a Chrome trace-event
                        file for ui.perfetto.dev (see docs/traces.md)
  --trace-max-events <n>
                        Cut the trace after n events (default 1000000)
  --trace-window <from>..<until>
                        Trace only that stretch of simulated time, in ms (either side optional)
  --json                Machine output: one JSON object per simulation per line on stdout
  --report <file.html>  Also write the results as one self-contained HTML page (docs/html-report.md)
  --dir <path>          Where to look for *.sim.js and *.sim.mjs files (default: .)
  -h, --help            Show this help

Exit codes: 0 every simulation passed, 1 a simulation failed (or was stuck: see --stall-timeout),
2 usage or setup error, 130/143 interrupted by SIGINT/SIGTERM (partial reports printed).
`;
