"""The run's own saturation verdict, for every benchmark's table: a figure measured while
mcpload (or the machine) was saturated says more about the harness than the server."""


def harness_verdict(result):
    """'ok', or 'SATURATED' and why, from a result.json already loaded."""
    harness = result.get("harness") or {}
    saturation = harness.get("saturation")
    return f"SATURATED ({saturation})" if saturation else "ok"


def short_verdict(result):
    """'ok' or 'SATURATED', for a table column; the reason is printed below the table."""
    return "ok" if not (result.get("harness") or {}).get("saturation") else "SATURATED"
