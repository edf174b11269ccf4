def pytest_terminal_summary(terminalreporter):
    """Print what the schemathesis run answered (cases, 5xx, statuses)."""
    from tests.api.test_schemathesis import STATUSES

    if not STATUSES:
        return
    total = sum(STATUSES.values())
    server_errors = sum(n for status, n in STATUSES.items() if status >= 500)
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(STATUSES.items()))
    terminalreporter.write_line(
        f"schemathesis: {total} cases, {server_errors} answered 5xx; statuses {statuses}"
    )
