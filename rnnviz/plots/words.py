"""The words figures print (axis titles, legends); pages pass translated ones via `words=`."""

WORDS = {
    "time": "time step t", "unit": "unit", "value": "value", "pc1": "PC 1", "pc2": "PC 2", "share": "share",
    "parameters": "parameters", "norm": "Jacobian norm", "params_title": "Parameters per gate block",
    "rows_title": "Row of packed .data holding each (sequence, t); blank = padding, never stored",
    "sat_title": "Saturation: share of values within {near} of a limit",
    "sat_low": "near the lower limit (0, or -1 for tanh)", "sat_high": "near 1",
    "layer": "{kind} layer {layer}", "forward": "→ forward", "reverse": "← reverse",
    "last_layer": "last layer only", "side_by_side": "last layer, directions side by side",
    "row": "row = layer·D + direction",
}


def merged(words: dict | None) -> dict:
    """English defaults overridden by `words`."""
    return {**WORDS, **(words or {})}
