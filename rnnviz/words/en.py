"""Every word the app shows in English: labels, help texts (help_*), page prose and
plot words (plot_*), as one flat dict. rnnviz.ui.texts.t(key, **values) reads it; the home,
Train and What if pages' words are kept in en_pages.py and merged in here."""

from rnnviz.words.en_claims import CLAIMS
from rnnviz.words.en_class import CLASS
from rnnviz.words.en_pages import PAGES
from rnnviz.words.en_text import TEXT

WORDS = {
    "input": "input", "seq_len": "seq_len (L)", "batch_size": "batch size (N)",
    "lengths_packed": "lengths (packed)", "lengths": "lengths", "initial_state": "initial state",
    "text": "text", "csv_file": "CSV file", "sequence_column": "sequence column", "view": "view",
    "layer": "layer", "direction": "direction", "sequence": "sequence", "step_t": "step t", "play": "play",
    "unit": "unit", "phase_portrait": "phase portrait", "download_csv": "states and gates (CSV)",
    "download_json": "configuration (JSON)", "cmp_matched": "match parameter counts",
    "language": "language", "forward": "0: forward",
    "reverse": "1: reverse", "Shapes": "Shapes", "Hidden states": "Hidden states", "Gates": "Gates",
    "zeros": "zeros", "random": "random", "sine": "sine", "step": "step", "impulse": "impulse", "csv": "csv",
    "compare_title": "RNN, LSTM and GRU side by side",
    "gradients_title": "How far back does a gradient reach?",
    "packing_title": "Packed sequences: what padding costs and what packing fixes",
    "padded_input": "padded input (L, N, H_in)", "packed_data": "packed .data {shape}",
    "h_n_compare": "h_n: packed run vs the padded tensor run as if full length",
    "unpacked": "pad_packed_sequence(output): zeros past each end",
    "by_hand": "**Step t = {step}, unit {unit}, by hand** (torch's value in brackets):",
    "total_parameters": "**Total parameters: {count:,}**",
    "proof": "max |trace − torch| = {error:.2e} · ran on {device} · {ms:.1f} ms · {gates}",
    "gates_kernel": "gates read from oneDNN's own workspace",
    "gates_recomputed": "gates recomputed from the weights and torch's h",
    "gates_mixed": "gates partly read from oneDNN, partly recomputed",
    "where": "layer {layer}, direction {direction}, sequence {sequence}", "title_h": "h_t, {where}",
    "title_h_heatmap": "h_t as unit × time, {where}", "title_pca": "h_t trajectory (PCA), {where}",
    "title_c": "cell state c_t, {where}", "title_gates": "gates, {where}",
    "grad_input_title": "‖∂h_T/∂x_t‖: how much the last state depends on input step t",
    "grad_state_title": "‖∂h_T/∂h_t‖: how much the last state depends on the state at t",
    "grad_caption": (
        "Computed by autograd on the real modules, called one step at a time (same seed, same input); each "
        "norm is the Frobenius norm of the Jacobian of h_T, one backward pass per unit."
    ),
    "cmp_caption": "hidden_size {hidden} · {count:,} parameters · max |trace − torch| {error:.1e}",
    "cmp_final": "final state h_T: ‖h_T‖ = {norm:.3f}, range [{low:.3f}, {high:.3f}]", "cmp_h": "{kind}: h_t",
    "cmp_pca": "{kind}: trajectory (PCA)",
    "pack_indices": (
        "**batch_sizes** (sequences alive at each step): `{sizes}` · **sorted_indices**: `{sorted}` · "
        "**unsorted_indices**: `{unsorted}`"
    ),
    "pack_bad_lengths": (
        "lengths must be whole numbers from 1 to 50 separated by commas, like 6,3,4; got {text!r}."
    ),
    "url_notice": "{name}={text!r} in the link {error}; using the default.", "running": "Running the layer…",
    "taking_gradients": "Taking gradients…", "page_compare": "Compare kinds",
    "page_gradients": "Gradients through time", "page_packing": "Packed sequences",
    "over_budget": (
        "A full trace of this configuration needs about {needed:,.0f} MB, more than this server's budget of "
        "{budget:,.0f} MB. Lower seq_len, batch size, hidden_size or num_layers."
    ),
    "input_follows": "input_size follows the {source}: {features}.", "col_name": "name", "col_shape": "shape",
    "col_dims": "dims", "col_count": "count",
    "bad_lengths": "lengths must be whole numbers separated by commas, like 20,12,7; got {text!r}.",
    "url_range": "must lie in [{low}, {high}]", "url_number": "is not a number",
    "url_boolean": "must be true or false", "url_choice": "must be one of {options}",
    "url_device": "is not on this server ({names})",
    "url_lengths": "must be whole numbers separated by commas", "pack_row": "layer 0, {direction}",
    "pack_col": "seq {sequence} (len {length})", "forward_word": "forward", "reverse_word": "reverse",
    "help_device": (
        "Where the layer runs. cuda/mps appear only when this machine has them; a missing one falls back to "
        "cpu."
    ),
    "help_dtype": (
        "Number format of weights, input and states. float64 matches textbook arithmetic more closely; "
        "float32 is torch's default."
    ),
    "help_seed": (
        "Seeds torch's random generator: the same seed gives the same weights and the same random input."
    ),
    "help_input_size": (
        "H_in: features per time step. Changes the input's last dimension and weight_ih_l0 (G·H_cell, H_in)."
    ),
    "help_hidden_size": (
        "H_cell: features of the hidden state (and LSTM cell). Changes h_0/h_n, output's last dimension and "
        "every weight."
    ),
    "help_num_layers": (
        "Stacked layers; layer k reads layer k-1's output. Changes the first dimension of h_0/h_n "
        "(D·num_layers) and adds weights."
    ),
    "help_nonlinearity": (
        "RNN only: tanh keeps h in (-1, 1); relu is unbounded, so states can grow over time. Shapes stay the "
        "same."
    ),
    "help_batch_first": (
        "If on, input and output are (N, L, ·) instead of (L, N, ·). h_0, h_n and c_n never change."
    ),
    "help_dropout": (
        "Zeroes each output of every layer but the last with this probability, in train mode only. Shapes "
        "stay the same."
    ),
    "help_bidirectional": (
        "Adds a second pass that runs from the last step back. D = 2: output becomes (L, N, 2·H_out), h_n "
        "(2·num_layers, N, H_out)."
    ),
    "help_proj_size": (
        "LSTM only: h_t = W_hr (o ⊙ tanh(c_t)) has proj_size features (0 = off). Changes h_0/h_n and output, "
        "not c."
    ),
    "help_source": (
        "What the input holds: random numbers, sine/cosine waves, a step or impulse, one-hot letters of a "
        "text, or an uploaded CSV."
    ),
    "help_seq_len": (
        "L: time steps. Not a constructor argument: the same layer accepts any length. Changes input and "
        "output's L."
    ),
    "help_batch_size": "N: sequences run side by side. Changes N in input, output, h_0 and h_n.",
    "help_lengths": (
        "Per-sequence lengths, e.g. 5,3,2: the batch is packed with pack_padded_sequence, so each sequence "
        "stops at its own end."
    ),
    "help_initial_state": (
        "h_0 (and c_0): zeros is torch's default when you pass nothing; random draws them from the seed."
    ),
    "help_text": (
        "Each line is one sequence; every distinct character gets a one-hot column, so input_size follows "
        "the text."
    ),
    "help_csv": (
        "Rows are time steps, columns features (a header row first). An optional column names each row's "
        "sequence."
    ),
    "help_sequence_column": (
        "The CSV column naming which sequence a row belongs to; leave empty for one sequence."
    ),
    "help_view_layer": "Which stacked layer to look at (0 is the one reading the input).",
    "help_view_direction": "0 runs forward in time; 1 (bidirectional only) runs backward from the last step.",
    "help_view_sequence": "Which sequence of the batch to show.",
    "help_view": (
        "Shapes: every tensor of the call and the code; Hidden states: h (and c) over time; Gates: each gate "
        "over time; What if: change one input value or a gate bias."
    ),
    "help_cmp_matched": (
        "On: each kind gets the hidden_size that gives it about as many parameters as the LSTM (a fair "
        "fight). Off: all share hidden_size."
    ),
    "help_pack_kind": "Which recurrent layer runs on the packed batch.",
    "gradients_explained": (
        "Training adjusts a weight by how much the loss at the end depends on what happened long before. In "
        "a plain tanh RNN that dependence is a product of one Jacobian per step; when their norms are below "
        "1 it **vanishes** exponentially (the curve falls on the log scale), above 1 it **explodes** (relu "
        "can). The LSTM's cell state and the GRU's update gate add paths whose Jacobians are near the "
        "identity when their forget (update) gates are near 1, as training or a raised gate bias makes "
        "them; whether they do in this run, the sentence under the chart says."
    ),
    "packing_explained": (
        "A zero-padded batch run as if every sequence were full length keeps stepping through the padding: "
        "the forward h_n of a short sequence is its state after the padding, and its reverse direction "
        "starts in the padding instead of at its last real step. Packed, each sequence stops at its own end "
        "and the reverse direction starts at t = length − 1 ({starts}); a non-zero difference above is "
        "exactly the error the padding causes."
    ),
    "help_step_t": "Step-through: the time step marked in every chart and worked out below by hand.",
    "help_step_back": "One time step back.", "help_step_next": "One time step forward.",
    "help_step_play": (
        "Play: the marker walks through the steps by itself (about two a second) and stops at the end."
    ),
    "help_step_unit": "Which hidden unit's equations to work out at the chosen step.",
    "help_preset": (
        "{title}. Sets the controls to this example: the layer, an input of its shape, a random h_0 (c_0)."
    ),
    "help_language": "Language of every label, help text and explanation; ?lang=zh in a link picks 简体中文.",
    "help_pca_dims": "Show the hidden state's path in its first two or three principal components.",
    "plot_time": "time step t", "plot_unit": "unit", "plot_value": "value", "plot_pc1": "PC 1",
    "plot_pc2": "PC 2", "plot_share": "share", "plot_parameters": "parameters", "plot_norm": "Jacobian norm",
    "plot_params_title": "Parameters per gate block",
    "plot_rows_title": "Row of packed .data holding each (sequence, t); blank = padding, never stored",
    "plot_sat_title": "Saturation: share of values within {near} of a limit",
    "plot_sat_low": "near the lower limit (0, or -1 for tanh)", "plot_sat_high": "near 1",
    "plot_layer": "{kind} layer {layer}", "plot_forward": "→ forward", "plot_reverse": "← reverse",
    "plot_last_layer": "last layer only", "plot_side_by_side": "last layer, directions side by side",
    "plot_row": "row = layer·D + direction", "page_train": "Train a layer", "plot_train_curve": "training",
    "plot_val_curve": "validation", "plot_training_step": "training step", "plot_grad_norm": "‖∇‖",
    "What if": "What if",
    "help_download_csv": "Every state and gate of the run as a tidy CSV ({mb:.2f} MB), ready to save.",
    "prepare_csv": "prepare the CSV ({mb:.1f} MB)",
    "help_prepare_csv": (
        "This run's CSV is large (about {mb:.1f} MB): it is written when you ask, in a second or so, and a "
        "download button then takes this one's place. It is kept while you look at this run."
    ),
    "preparing_csv": "Writing the CSV…",
    "help_download_json": "The configuration on screen (the LayerSpec's fields) as JSON.",
    "export_slice": (
        "This run holds more than {limit:,} values: the CSV holds layer {layer}, direction {direction} and "
        "sequence {sequence}, as on screen, steps 0 to {steps} − 1. Choose others above to export them."
    ),
    "run_queued": "Queued: the server is busy with other large runs; yours starts when one ends.",
    "server_busy": (
        "The server's memory is taken by other large runs right now: try again in a minute, or choose a "
        "smaller configuration."
    ),
    "states_chart": "chart", "heatmap": "heatmap (unit × time)", "lines": "lines (one per unit)",
    "trajectory": "trajectory (PCA)", "cell": "cell state c", "saturation": "saturation histogram",
    "help_chart": (
        "Which picture of the hidden states to draw: a heatmap of every unit over time, one line per unit, "
        "the path of h_t in its first principal components, or the LSTM's cell state c."
    ),
    "help_saturation": "Also show how often each gate sits near its limits (0 or 1, −1 or 1 for tanh).",
    "sidebar_device": "device", "sidebar_dtype": "dtype", "sidebar_seed": "seed",
    "device_cpu": "CPU ({machine}, {cores} cores)", "placeholder_lengths": "e.g. 20,12,7",
    "col_sequence": "sequence", "col_row": "row", "plot_seq": "seq {sequence}", "plot_unit_n": "unit {unit}",
    "plot_one_block": "h (one block)",
}
WORDS.update(PAGES)
WORDS.update(TEXT)
WORDS.update(CLAIMS)
WORDS.update(CLASS)
