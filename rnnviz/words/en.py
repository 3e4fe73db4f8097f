"""Every word the app shows in English: labels, help texts (help_*), page prose and
plot words (plot_*), as one flat dict. rnnviz.ui.texts.t(key, **values) reads it."""

WORDS = {
    "input": "input", "seq_len": "seq_len (L)", "batch_size": "batch size (N)",
    "lengths_packed": "lengths (packed)", "lengths": "lengths", "initial_state": "initial state",
    "text": "text", "csv_file": "CSV file", "sequence_column": "sequence column", "train": "train mode",
    "view": "view", "layer": "layer", "direction": "direction", "sequence": "sequence", "step_t": "step t",
    "play": "play", "unit": "unit", "phase_portrait": "phase portrait",
    "download_csv": "states and gates (CSV)", "download_json": "configuration (JSON)",
    "cmp_matched": "match the parameter count of the LSTM", "language": "language",
    "seed_example": "Seed example: {title}", "forward": "0: forward", "reverse": "1: reverse",
    "Shapes": "Shapes", "Hidden states": "Hidden states", "Gates": "Gates", "zeros": "zeros",
    "random": "random", "sine": "sine", "step": "step", "impulse": "impulse", "csv": "csv",
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
    "page_gradients": "Gradients through time", "page_packing": "Packed sequences", "page_home": "Home",
    "home_title": "rnnviz: see inside PyTorch's recurrent layers",
    "home_intro": (
        "rnnviz builds the real torch `nn.RNN`, `nn.LSTM` and `nn.GRU` from the arguments you choose, runs "
        "them and shows what happens inside. Every hidden state, every gate and every tensor's shape on "
        "screen is torch's own number, checked against what the module returned. Start with the lesson "
        "path below, or open a page and move its controls."
    ),
    "home_examples": "The seed note's three examples", "home_pages": "Pages",
    "home_lesson": "A lesson path for a 45-minute class",
    "home_lesson_intro": (
        "Seven steps of about six minutes. Each opens a configured view; its question is answered by "
        "looking at that view. The answers were computed by running the same layers."
    ),
    "open_view": "Open this view", "open_page": "Open", "answer": "Answer",
    "example_prints": "prints `{printed}`",
    "teach_lstm": (
        "Every constructor argument as a control; hidden and cell states, the gates i, f, g, o, and every "
        "tensor's shape, stepped through one time step at a time."
    ),
    "teach_gru": "The same for nn.GRU: its reset, update and new gates r, z, n over time.",
    "teach_rnn": "The plain recurrence h_t = tanh(W_ih x_t + b_ih + W_hh h_(t−1) + b_hh), with tanh or relu.",
    "teach_compare": "RNN, LSTM and GRU on one input, at the same hidden_size or the same parameter count.",
    "teach_gradients": (
        "How far back the last state depends on the input: vanishing and exploding gradients, by autograd "
        "on the real modules."
    ),
    "teach_packing": "Sequences of different lengths: padding vs pack_padded_sequence, and what h_n holds.",
    "lesson_h_n_title": "What h_n holds",
    "lesson_h_n_q": (
        "The input has {steps} time steps, yet h_n's first dimension is not {steps}. What does it count?"
    ),
    "lesson_h_n_a": (
        "h_n is {h_n}: its first dimension is D·num_layers = {rows}, one final state per layer (and "
        "direction), each of H_out = {h_out} features. Every time step is in output {output}, but for the "
        "last layer only."
    ),
    "lesson_bidirectional_title": "Two directions",
    "lesson_bidirectional_q": (
        "With bidirectional=True, why does output's last size double while h_n's does not?"
    ),
    "lesson_bidirectional_a": (
        "output is {output}: at each step the forward and the reverse h sit side by side, so its last size "
        "is 2·H_out = {output[2]}. h_n is {h_n}: the directions are stacked along its first dimension "
        "(2·num_layers = {rows}), so each row keeps H_out = {h_out}."
    ),
    "lesson_batch_first_title": "batch_first",
    "lesson_batch_first_q": "Here batch_first is on. Which tensors put the batch first, and which do not?",
    "lesson_batch_first_a": (
        "input {input} and output {output} are (N, L, ·); h_n {h_n} stays (D·num_layers, N, H_out): "
        "batch_first never applies to h_0, c_0, h_n or c_n."
    ),
    "lesson_impulse_title": "What keeps c after an impulse",
    "lesson_impulse_q": (
        "An impulse arrives at t = {onset}. Which gate decides how much of the cell state c is carried "
        "from one step to the next, and what is its value here?"
    ),
    "lesson_impulse_a": (
        "The forget gate f: c_t = f_t ⊙ c_(t−1) + i_t ⊙ g_t. After the impulse its mean over the units is "
        "{f_mean:.2f}, so c keeps only about that share of itself at each step and the impulse fades "
        "within a few steps; the input gate i (mean {i_mean:.2f}) decides what new enters. These weights "
        "are random: a trained LSTM learns to hold f near 1."
    ),
    "lesson_vanishing_title": "Vanishing gradients",
    "lesson_vanishing_q": (
        "Follow the tanh RNN's curve of ‖∂h_T/∂x_t‖ back from the last step. At which step t does it fall "
        "below 1e-6?"
    ),
    "lesson_vanishing_a": (
        "At t = {t}, {back} steps before the last one. At that step the LSTM's norm is {lstm:.1e} and the "
        "GRU's {gru:.1e}: with random weights their gradients fade too; their longer memory is learned, "
        "not built in."
    ),
    "lesson_packing_title": "What packing removes",
    "lesson_packing_q": (
        "Sequences of lengths {lengths} are padded to {steps} steps. How many rows does packed .data keep, "
        "and what does it leave out?"
    ),
    "lesson_packing_a": (
        "{rows} rows, the sum of the lengths, instead of the padded L·N = {padded}: packing removes the "
        "padding, so no step runs on it. batch_sizes {sizes} counts the sequences still running at each "
        "step. Run on the padded tensor instead, h_n differs by up to {difference:.2f}."
    ),
    "lesson_parameters_title": "Parameters per kind",
    "lesson_parameters_q": (
        "At the same hidden_size, how many parameters do RNN, GRU and LSTM have, and in what ratio?"
    ),
    "lesson_parameters_a": (
        "At hidden_size {hidden}: RNN {rnn:,}, GRU {gru:,}, LSTM {lstm:,}, a ratio of {ratio}: one weight "
        "block for the RNN, three for the GRU's r, z, n and four for the LSTM's i, f, g, o."
    ),
    "over_budget": (
        "A full trace of this configuration needs about {needed:,.0f} MB, more than this server's budget "
        "of {budget:,.0f} MB. Lower seq_len, batch size, hidden_size or num_layers."
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
        "Where the layer runs. cuda/mps appear only when this machine has them; a missing one falls back "
        "to cpu."
    ),
    "help_dtype": (
        "Number format of weights, input and states. float64 matches textbook arithmetic more closely; "
        "float32 is torch's default."
    ),
    "help_seed": (
        "Seeds torch's random generator: the same seed gives the same weights and the same random input."
    ),
    "help_input_size": (
        "H_in: features per time step. Changes the input's last dimension and weight_ih_l0 (G·H_cell, "
        "H_in)."
    ),
    "help_hidden_size": (
        "H_cell: features of the hidden state (and LSTM cell). Changes h_0/h_n, output's last dimension "
        "and every weight."
    ),
    "help_num_layers": (
        "Stacked layers; layer k reads layer k-1's output. Changes the first dimension of h_0/h_n "
        "(D·num_layers) and adds weights."
    ),
    "help_nonlinearity": (
        "RNN only: tanh keeps h in (-1, 1); relu is unbounded, so states can grow over time. Shapes stay "
        "the same."
    ),
    "help_bias": (
        "If off, the layer has no b_ih and b_hh: fewer parameters, and every gate passes through zero for "
        "a zero input."
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
        "LSTM only: h_t = W_hr (o ⊙ tanh(c_t)) has proj_size features (0 = off). Changes h_0/h_n and "
        "output, not c."
    ),
    "help_train": (
        "Train mode turns dropout on (module.train()); eval mode (module.eval()) turns it off. Nothing "
        "else changes here."
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
        "Shapes: every tensor of the call and the code; Hidden states: h (and c) over time; Gates: each "
        "gate over time; What if: change one input value or a gate bias."
    ),
    "help_cmp_matched": (
        "On: each kind gets the hidden_size that gives it about as many parameters as the LSTM (a fair "
        "fight). Off: all share hidden_size."
    ),
    "help_pack_kind": "Which recurrent layer runs on the packed batch.",
    "gradients_explained": (
        "Training adjusts a weight by how much the loss at the end depends on what happened long before. "
        "In a plain tanh RNN that dependence is a product of one Jacobian per step; when their norms are "
        "below 1 it **vanishes** exponentially (the curve falls on the log scale), above 1 it **explodes** "
        "(relu can). The LSTM's cell state and the GRU's update gate add paths with nearly identity "
        "Jacobians, so their curves stay flat for longer."
    ),
    "packing_explained": (
        "A zero-padded batch run as if every sequence were full length keeps stepping through the padding: "
        "the forward h_n of a short sequence is its state after the padding, and its reverse direction "
        "starts in the padding instead of at its last real step. Packed, each sequence stops at its own "
        "end and the reverse direction starts at t = length − 1 ({starts}); a non-zero difference above is "
        "exactly the error the padding causes."
    ),
    "help_step_t": "Step-through: the time step marked in every chart and worked out below by hand.",
    "help_step_back": "One time step back.", "help_step_next": "One time step forward.",
    "help_step_play": (
        "Play: the marker walks through the steps by itself (about two a second) and stops at the end."
    ),
    "help_step_unit": "Which hidden unit's equations to work out at the chosen step.",
    "help_preset": "Loads the worked example from the note this project grew from.",
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
    "plot_row": "row = layer·D + direction", "page_train": "Train a layer",
    "train_title": "Train a layer: watch it learn",
    "train_intro": (
        "A real torch layer, with every constructor argument, and a linear readout learn a small task with "
        "Adam while you watch. The adding problem and delayed recall need memory across the whole "
        "sequence: raise seq_len and race RNN, LSTM and GRU to see which kinds keep it. When a run ends, "
        "the training-step slider shows the layer's states and gates on one fixed sequence at each "
        "checkpoint."
    ),
    "task": "task", "symbols": "symbols (K)", "learning_rate": "learning rate (Adam)",
    "train_steps": "training steps", "clip": "gradient clipping (max norm)",
    "training_checkpoint": "training step", "race_run": "run", "adding": "adding problem",
    "recall": "delayed recall", "series": "your series (CSV)",
    "help_task": (
        "Adding: sum the two marked values (always answering 1.0 scores MSE ≈ 0.167). Delayed recall: name "
        "the symbol shown at step 0 at the last step (chance 1/K). Sine, series, text: predict the next "
        "step."
    ),
    "help_train_kind": (
        "The recurrent layer that learns: nn.RNN, nn.LSTM or nn.GRU, built with the arguments below."
    ),
    "help_symbols": (
        "Delayed recall: how many symbols there are to remember; guessing is right 1/K of the time."
    ),
    "help_lr": "Adam's step size. Too large and the loss jumps about; too small and it barely moves.",
    "help_train_seq_len": (
        "Steps per training sequence. Longer sequences separate the kinds: a plain RNN's memory fades long "
        "before an LSTM's."
    ),
    "help_train_batch_size": "Sequences per training step; a larger batch gives a smoother loss curve.",
    "help_steps": "Optimizer steps in a run (the server stops any run after its time limit).",
    "help_clip": (
        "Rescales the gradient when its norm is above this (0 = off); the gradient-norm chart shows the "
        "norm before clipping, so you see the spikes clipping tames."
    ),
    "help_train_text": (
        "Next character: the layer reads the text one character at a time and predicts the next."
    ),
    "help_train_csv": (
        "Your own series: rows are time steps, columns features (a header row first); standardised."
    ),
    "help_checkpoint": (
        "The parameters were kept at about twelve log-spaced steps: pick one to look inside the layer then."
    ),
    "help_run": "Which run of the race to look inside.", "train_start": "Train",
    "train_race": "Race RNN · LSTM · GRU", "train_stop": "Stop",
    "help_train_start": "Train the chosen layer from its seeded start; the charts update while it runs.",
    "help_train_race": (
        "Train RNN, LSTM and GRU one after another on the same task and seed, with the same hidden_size or "
        "(toggle above) the LSTM's parameter count, and overlay their loss curves."
    ),
    "help_train_stop": "Stop the run; what it learned so far stays to look at.",
    "train_full": (
        "The server already runs {slots} trainings, as many as it allows at once: try again in a minute."
    ),
    "train_hint": "Choose a task and a layer, then press Train (or race the three kinds).",
    "train_need_csv": "The series task needs a CSV: upload one (rows are steps, columns features).",
    "train_running": "training… step {done} of {total}", "train_finished": "{done} of {total} steps",
    "train_error": "Training stopped with an error: {error}",
    "train_end_done": "The run finished all its steps.", "train_end_stopped": "The run was stopped.",
    "train_end_time": "The run reached the server's limit of {seconds:.0f} s per run.",
    "loss_title": "Loss (solid: training, running mean; dotted: the fixed validation batch)", "loss": "loss",
    "accuracy_title": "Validation accuracy (dashed: chance, {chance:.2f})", "accuracy": "accuracy",
    "grad_title": "Gradient norm before clipping (dashed: the clip)",
    "probe_where": "layer 0, forward, one fixed sequence, after {step} steps",
    "probe_caption": (
        "The {task} probe sequence through the checkpoint's layer · max |trace − torch| = {error:.1e}"
    ),
    "teach_train": (
        "A real layer learns a memory task live: loss, gradient norm and, at each checkpoint, its states "
        "and gates; RNN, LSTM and GRU race."
    ),
    "plot_train_curve": "training", "plot_val_curve": "validation", "plot_training_step": "training step",
    "plot_grad_norm": "‖∇‖",
    "What if": "What if",
    "perturb_t": "step t to change",
    "perturb_feature": "feature k",
    "perturb_delta": "δ (added to x[t, k])",
    "bias_shift": "gate bias + b",
    "own_layer": "state dict (.pt, .pth, .safetensors)",
    "own_prefix": "layer in the file",
    "help_perturb_t": (
        "The time step whose input value moves; every state after it (and, in reverse directions, before "
        "it) may change."
    ),
    "help_feature": "Which input feature x[t, k] moves.",
    "help_delta": "How much is added to x[t, k]. The real module runs again on the changed input.",
    "help_bias_shift": (
        "Added to the forget gate's bias (LSTM) or the update gate's (GRU) in every layer and direction: "
        "the 'forget bias 1' trick (Jozefowicz et al. 2015)."
    ),
    "help_own_layer": (
        "A state dict of nn.RNN, nn.LSTM or nn.GRU, alone or inside a larger model's checkpoint. Read with "
        "torch.load(weights_only=True): nothing in the file is executed."
    ),
    "help_own_prefix": (
        "The file holds several recurrent layers: choose one by its key prefix, e.g. encoder.rnn."
    ),
    "whatif_perturb_title": "Change one input value: what follows?",
    "whatif_needs_padded": "Changing one value works on a padded batch: clear the lengths to use it.",
    "whatif_row": "layer {layer} {arrow}",
    "whatif_dh_title": "Δh after x[{t}, {feature}] += {delta}: every layer and direction",
    "whatif_dc_title": "Δc, the cell state",
    "whatif_measured": "‖Δ output_s‖, measured",
    "whatif_linear": "‖J_s·δ‖, the linear prediction (autograd)",
    "whatif_curve_title": "How far the change reaches, after t (log scale)",
    "whatif_norm": "norm",
    "whatif_bias_title": "Shift the {gate} gate's bias: how long does an impulse last?",
    "whatif_no_bias": "This layer has no biases (bias off): there is no gate bias to shift.",
    "whatif_bias_before": "as built",
    "whatif_bias_after": "bias + {amount:g}",
    "whatif_impulse_title": "After an impulse at t = {onset}: ‖Δ{state}_t‖, layer 0 forward (log scale)",
    "whatif_kept": (
        "In {state} the impulse stays above {share:.0%} of its peak for {before} steps as built, {after} "
        "steps with the shifted bias."
    ),
    "own_layer_title": "Your own layer (a state dict)",
    "own_prefix_none": "(top level)",
    "own_layer_found": "Found nn.{kind}({args}); its weights now run here.",
    "own_layer_other_kind": (
        "This file holds an nn.{kind}, and this is the nn.{page} page: open nn.{kind} and load it there."
    ),
    "whatif_at_start": "The change is at the first step: nothing comes before it.",
    "whatif_before": (
        "Before t the forward directions change by exactly {forward:g}: they have not read x[t] yet."
    ),
    "whatif_before_both": (
        "Before t, layer 0's forward direction changes by exactly {forward:g}; the reverse directions by "
        "up to {reverse:.3g} (they read the sequence from its end); the forward directions above layer 0 "
        "by up to {upper:.3g}, because they read the reverse direction below them."
    ),
    "help_download_csv": (
        "Every state and gate of the run as a tidy CSV (about {mb:.1f} MB), written when you click."
    ),
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
    "states_chart": "chart",
    "heatmap": "heatmap (unit × time)",
    "lines": "lines (one per unit)",
    "trajectory": "trajectory (PCA)",
    "cell": "cell state c",
    "saturation": "saturation histogram",
    "help_chart": (
        "Which picture of the hidden states to draw: a heatmap of every unit over time, one line per unit, "
        "the path of h_t in its first principal components, or the LSTM's cell state c."
    ),
    "help_saturation": "Also show how often each gate sits near its limits (0 or 1, −1 or 1 for tanh).",
    "own_layer_over": "This layer is larger than the page's controls go ({detail}): it cannot be shown here.",
    "own_layer_nonlinearity": (
        "A state dict does not say whether an nn.RNN used tanh or relu: choose its nonlinearity below."
    ),
    "own_layer_input": (
        "Your layer reads input_size = {layer}, and the {source} input has {data} features: choose an "
        "input with {layer} features (random, sine, step, impulse)."
    ),
}
