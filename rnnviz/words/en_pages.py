"""English words of the home, Train and What if pages (merged into rnnviz.words.en.WORDS)."""

PAGES = {
    "train": "train mode", "page_home": "Home", "home_title": "rnnviz: see inside PyTorch's recurrent layers",
    "home_intro": (
        "rnnviz builds the real torch `nn.RNN`, `nn.LSTM` and `nn.GRU` from the arguments you choose, runs "
        "them and shows what happens inside, with torch's own numbers. **Start with step 1 just below**: "
        "open its view, answer its question by looking, then show the answer."
    ),
    "home_lesson": "Start here: a lesson path for a 45-minute class",
    "home_lesson_intro": (
        "Seven steps of about six minutes. Each opens a configured view and asks one question that view "
        "answers; each answer stays hidden until you switch it on (it was computed by running the same "
        "layers)."
    ),
    "home_examples": "Three examples to open", "home_pages": "Pages",
    "example_layers": "Two stacked layers: h_n holds one final state per layer",
    "example_cell": "An LSTM's two states: h_n and c_n, one per layer",
    "example_bidirectional": "Bidirectional: output's features double, h_n gains a row per direction",
    "example_call": "`{call}` on an input of shape {shape}",
    "example_button": "Example: {title}",
    "example_short_layers": "2 layers, batch of 3", "example_short_cell": "h_n and c_n, 2 layers",
    "example_short_bidirectional": "bidirectional, 2 layers",
    "show_answer": "show the answer",
    "help_show_answer": (
        "The answer stays hidden until this is on, so a class can answer first; switch it off to hide it "
        "again."
    ),
    "open_view": "Open this view", "open_page": "Open",
    "example_prints": "prints `{printed}`",
    "teach_lstm": (
        "Every constructor argument as a control; hidden and cell states, the gates i, f, g, o, and every "
        "tensor's shape, stepped through one time step at a time."
    ),
    "teach_gru": "The same for nn.GRU: its reset, update and new gates r, z, n over time.",
    "teach_rnn": "The plain recurrence h_t = tanh(W_ih x_t + b_ih + W_hh h_(t−1) + b_hh), with tanh or relu.",
    "teach_compare": "RNN, LSTM and GRU on one input, at the same hidden_size or the same parameter count.",
    "teach_gradients": (
        "How far back the last state depends on the input: vanishing and exploding gradients, by autograd on "
        "the real modules."
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
        "An impulse arrives at t = {onset}. Which gate decides how much of the cell state c is carried from "
        "one step to the next, and what is its value here?"
    ),
    "lesson_impulse_a": (
        "The forget gate f: c_t = f_t ⊙ c_(t−1) + i_t ⊙ g_t. After the impulse its mean over the units is "
        "{f_mean:.2f}, so c keeps only about that share of itself at each step and the impulse fades within "
        "a few steps; the input gate i (mean {i_mean:.2f}) decides what new enters. These weights are "
        "random: a trained LSTM learns to hold f near 1."
    ),
    "lesson_vanishing_title": "Vanishing gradients",
    "lesson_vanishing_q": (
        "Follow the tanh RNN's curve of ‖∂h_T/∂x_t‖ back from the last step. At which step t does it fall "
        "below 1e-6?"
    ),
    "lesson_vanishing_a": (
        "At t = {t}, {back} steps before the last one. At that step the LSTM's norm is {lstm:.1e} and the "
        "GRU's {gru:.1e}: with random weights their gradients fade too; their longer memory is learned, not "
        "built in."
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
    "help_bias": (
        "If off, the layer has no b_ih and b_hh: fewer parameters, and every gate passes through zero for a "
        "zero input."
    ),
    "help_train": (
        "Train mode turns dropout on (module.train()); eval mode (module.eval()) turns it off. Nothing else "
        "changes here."
    ),
    "train_title": "Train a layer: watch it learn",
    "train_intro": (
        "A real torch layer, with every constructor argument, and a linear readout learn a small task with "
        "Adam while you watch. The adding problem and delayed recall need memory across the whole sequence: "
        "press **Long-memory experiment** to race RNN, LSTM and GRU on it and see which kinds keep it. When "
        "a run ends, the "
        "training-step slider shows the layer's states and gates on one fixed sequence at each checkpoint."
    ),
    "task": "task", "symbols": "symbols (K)", "learning_rate": "learning rate (Adam)",
    "train_steps": "training steps", "clip": "gradient clipping (max norm)",
    "training_checkpoint": "training step", "race_run": "run", "adding": "adding problem",
    "recall": "delayed recall", "series": "your series (CSV)",
    "help_task": (
        "Adding: sum the two marked values (always answering 1.0 scores MSE ≈ 0.167). Delayed recall: name "
        "the symbol shown at step 0 at the last step (chance 1/K). Sine, series, text: predict the next step."
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
        "Rescales the gradient when its norm is above this (0 = off); the gradient-norm chart shows the norm "
        "before clipping, so you see the spikes clipping tames."
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
        "A real layer learns a memory task live: loss, gradient norm and, at each checkpoint, its states and "
        "gates; RNN, LSTM and GRU race."
    ),
    "perturb_t": "step t to change", "perturb_feature": "feature k", "perturb_delta": "δ (added to x[t, k])",
    "bias_shift": "gate bias + b", "own_layer": "state dict (.pt, .pth, .ckpt, .bin, .safetensors)",
    "own_prefix": "layer in the file",
    "help_perturb_t": (
        "The time step whose input value moves; every state after it (and, in reverse directions, before it) "
        "may change."
    ),
    "help_feature": "Which input feature x[t, k] moves.",
    "help_delta": "How much is added to x[t, k]. The real module runs again on the changed input.",
    "help_bias_shift": (
        "Added to the forget gate's bias (LSTM) or the update gate's (GRU) in every layer and direction: the "
        "'forget bias 1' trick (Jozefowicz et al. 2015)."
    ),
    "help_own_layer": (
        "A state dict of nn.RNN, nn.LSTM or nn.GRU (or of their cells), alone or inside a larger model's "
        "checkpoint (a Lightning .ckpt, a .bin). Read with torch.load(weights_only=True): nothing in the "
        "file is executed."
    ),
    "help_own_prefix": (
        "The file holds several recurrent layers: choose one by its key prefix, e.g. encoder.rnn."
    ),
    "whatif_perturb_title": "Change one input value: what follows?",
    "whatif_needs_padded": "Changing one value works on a padded batch: clear the lengths to use it.",
    "whatif_row": "layer {layer} {arrow}",
    "whatif_dh_title": "Δh after x[{t}, {feature}] += {delta}: every layer and direction",
    "whatif_dc_title": "Δc, the cell state", "whatif_measured": "‖Δ output_s‖, measured",
    "whatif_linear": "‖J_s·δ‖, the linear prediction (autograd)",
    "whatif_curve_title": "How far the change reaches, after t (log scale)", "whatif_norm": "norm",
    "whatif_bias_title": "Shift the {gate} gate's bias: how long does an impulse last?",
    "whatif_no_bias": "This layer has no biases (bias off): there is no gate bias to shift.",
    "whatif_bias_before": "as built", "whatif_bias_after": "bias + {amount:g}",
    "whatif_impulse_title": "After an impulse at t = {onset}: ‖Δ{state}_t‖, layer 0 forward (log scale)",
    "whatif_kept": (
        "In {state} the impulse stays above {share:.0%} of its peak for {before} steps as built, {after} "
        "steps with the shifted bias."
    ),
    "own_layer_title": "Your own layer (a state dict)", "own_prefix_none": "(top level)",
    "own_layer_found": "Found nn.{kind}({args}); its weights now run here.",
    "own_layer_other_kind": (
        "This file holds an nn.{kind}, and this is the nn.{page} page: open nn.{kind} and load it there."
    ),
    "whatif_at_start": "The change is at the first step: nothing comes before it.",
    "whatif_before": (
        "Before t the forward directions change by exactly {forward:g}: they have not read x[t] yet."
    ),
    "whatif_before_both": (
        "Before t, layer 0's forward direction changes by exactly {forward:g}; the reverse directions by up "
        "to {reverse:.3g} (they read the sequence from its end); the forward directions above layer 0 by up "
        "to {upper:.3g}, because they read the reverse direction below them."
    ),
    "own_layer_cell": (
        "The file holds a cell (nn.{kind}Cell): its weights are exactly those of a one-layer nn.{kind}'s "
        "layer 0, which runs it over every step here."
    ),
    "own_layer_dtype": (
        "The file stores {stored} weights; they run here in {runs}, the sidebar's dtype: {exact}"
    ),
    "own_layer_exact": "every value is kept exactly.",
    "own_layer_rounded": (
        "each value is rounded to it, so choose {stored} in the sidebar to run them exactly."
    ),
    "own_layer_nonlinearity": (
        "A state dict does not say whether an nn.RNN used tanh or relu: choose its nonlinearity below."
    ),
    "own_layer_input": (
        "Your layer reads input_size = {layer}, and the {source} input has {data} features: choose an input "
        "with {layer} features (random, sine, step, impulse)."
    ),
}
