"""English sentences that describe a chart, worded from the run's numbers (rnnviz.claims via
rnnviz.ui.claims), and the chart words of readable figures; merged into rnnviz.words.en.WORDS."""

CLAIMS = {
    "list_sep": ", ", "list_last": " and ", "sentence_sep": " ",
    "steps_n": "{n} steps", "steps_1": "1 step",
    "grad_claim_item": "t = {t} for {name} ({back} back)",
    "grad_claim_fall": (
        "Reading back from the last step (t = {last}), ‖∂h_T/∂x_t‖ falls below {threshold} at {items}."
    ),
    "grad_claim_never": "{names} never fall below {threshold} within the {steps} steps.",
    "grad_claim_none": (
        "No curve of ‖∂h_T/∂x_t‖ falls below {threshold} within these {steps} steps: raise seq_len to watch "
        "them vanish."
    ),
    "grad_claim_longest": "Kept longest: **{names}**; lost first: **{first}**.",
    "grad_claim_longest_never": "Kept longest: **{names}**, above {threshold} over the whole window.",
    "grad_claim_same": "All fall below {threshold} at the same step.",
    "grad_claim_vs": "Against the tanh RNN: {items}.",
    "grad_claim_longer": "{name} {n} longer", "grad_claim_shorter": "{name} {n} shorter",
    "grad_claim_level": "{name} at the same step",
    "grad_claim_close": (
        "All within {n} of it: here the gated kinds fall at about the same rate as the tanh RNN; with "
        "random weights their longer memory is not built in (it is learned, or set by the forget gate's "
        "bias)."
    ),
    "grad_claim_far": "So here the gated kinds keep their gradient clearly longer than the tanh RNN.",
    "kept_for": "for {n}", "kept_to_end": "until the end of the window (t = {last})",
    "whatif_kept_claim": (
        "In {state} the impulse stays above {share:.0%} of its peak {before} as built and {after} with the "
        "bias + {amount:g}: {verdict}."
    ),
    "kept_longer": "the shift keeps it longer", "kept_shorter": "the shift makes it fade sooner",
    "kept_same": "the shift changes how long it lasts by less than a step",
    "kept_both_end": "the window ends before either fades",
    "plot_pc3": "PC 3", "plot_at_t": "t = {t}",
    "plot_sat_none": (
        "0 % of the {count:,} gate values saturated<br>(σ gates: below {near} or above {high};<br>"
        "tanh gates: beyond ±{high})"
    ),
    "plot_sat_some": "{share:.1%} of the {count:,} gate values within {near} of a limit",
}
