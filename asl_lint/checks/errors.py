"""ASL401–ASL407: retries on transient errors, Retry/Catch mistakes, timeouts."""
