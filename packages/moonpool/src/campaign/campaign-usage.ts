export const CAMPAIGN_USAGE = `Usage: moonpool campaign <command> --redis <url> [options]

Commands:
  campaign start <sim> --seeds <n> [--chunk <k>]
                        Queue seeds [0, n) of <sim> as jobs of k seeds (default min(n, 1000))
                        and a merge job; prints the campaign id
  campaign worker [--concurrency <c>]
                        Run queued jobs, c at a time (default 1), until SIGINT/SIGTERM
  campaign status [<id>]
                        A campaign's progress (without <id>: every campaign)
  campaign report <id> [--out <file.json>]
                        The merged report of a finished campaign

Options:
  --redis <url>         redis://[user:password@]host[:port][/db] or rediss://… (TLS);
                        or set MOONPOOL_REDIS_URL (keeps the password out of ps)
  --dir <path>          Where start and worker look for *.sim.js files (default: .)
  --base-seed <u64>, --check-determinism, --stall-timeout <s>
                        As for sim run (start only)
  --json                Machine output (status, report)

Exit codes: 0 done (report: passed), 1 report: the campaign failed, 2 usage or setup error
(Redis unreachable, no such campaign or simulation), 130/143 worker stopped by SIGINT/SIGTERM.
See docs/campaigns.md.
`;
