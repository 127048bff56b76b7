"""How the report writes numbers: seconds, milliseconds, bytes, ranges, ratios, met / not met."""

from __future__ import annotations


def fmt_s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def fmt_ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def fmt_bytes(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 1e6:
        return f"{value / 1e6:,.1f} MB"
    return f"{value / 1e3:,.0f} KB"


def spread(values: list[float], unit: str = "s") -> str:
    if not values:
        return "–"
    return f"{min(values):.2f}–{max(values):.2f} {unit}"


def met(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**not met**")


def ratio_text(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    return f"×{a / b:.1f}"
