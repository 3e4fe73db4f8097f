"""Help text for every control: what the argument does and which shapes it changes."""

HELP = {
    "device": "Where the layer runs. cuda/mps appear only when this machine has them; a missing one falls back to cpu.",
    "dtype": "Number format of weights, input and states. float64 matches textbook arithmetic more closely; float32 is torch's default.",
    "seed": "Seeds torch's random generator: the same seed gives the same weights and the same random input.",
    "input_size": "H_in: features per time step. Changes the input's last dimension and weight_ih_l0 (G·H_cell, H_in).",
    "hidden_size": "H_cell: features of the hidden state (and LSTM cell). Changes h_0/h_n, output's last dimension and every weight.",
    "num_layers": "Stacked layers; layer k reads layer k-1's output. Changes the first dimension of h_0/h_n (D·num_layers) and adds weights.",
    "nonlinearity": "RNN only: tanh keeps h in (-1, 1); relu is unbounded, so states can grow over time. Shapes stay the same.",
    "bias": "If off, the layer has no b_ih and b_hh: fewer parameters, and every gate passes through zero for a zero input.",
    "batch_first": "If on, input and output are (N, L, ·) instead of (L, N, ·). h_0, h_n and c_n never change.",
    "dropout": "Zeroes each output of every layer but the last with this probability, in train mode only. Shapes stay the same.",
    "bidirectional": "Adds a second pass that runs from the last step back. D = 2: output becomes (L, N, 2·H_out), h_n (2·num_layers, N, H_out).",
    "proj_size": "LSTM only: h_t = W_hr (o ⊙ tanh(c_t)) has proj_size features (0 = off). Changes h_0/h_n and output, not c.",
    "train": "Train mode turns dropout on (module.train()); eval mode (module.eval()) turns it off. Nothing else changes here.",
    "source": "What the input holds: random numbers, sine/cosine waves, a step or impulse, one-hot letters of a text, or an uploaded CSV.",
    "seq_len": "L: time steps. Not a constructor argument: the same layer accepts any length. Changes input and output's L.",
    "batch_size": "N: sequences run side by side. Changes N in input, output, h_0 and h_n.",
    "lengths": "Per-sequence lengths, e.g. 5,3,2: the batch is packed with pack_padded_sequence, so each sequence stops at its own end.",
    "initial_state": "h_0 (and c_0): zeros is torch's default when you pass nothing; random draws them from the seed.",
    "text": "Each line is one sequence; every distinct character gets a one-hot column, so input_size follows the text.",
    "csv": "Rows are time steps, columns features (a header row first). An optional column names each row's sequence.",
    "sequence_column": "The CSV column naming which sequence a row belongs to; leave empty for one sequence.",
    "view_layer": "Which stacked layer to look at (0 is the one reading the input).",
    "view_direction": "0 runs forward in time; 1 (bidirectional only) runs backward from the last step.",
    "view_sequence": "Which sequence of the batch to show.",
    "view": "Shapes: every tensor of the call and the code; Hidden states: h (and c) over time; Gates: each gate over time.",
    "cmp_matched": "On: each kind gets the hidden_size that gives it about as many parameters as the LSTM (a fair fight). Off: all share hidden_size.",
    "pack_kind": "Which recurrent layer runs on the packed batch.",
    "gradients_explained": (
        "Training adjusts a weight by how much the loss at the end depends on what happened long before. "
        "In a plain tanh RNN that dependence is a product of one Jacobian per step; when their norms are "
        "below 1 it **vanishes** exponentially (the curve falls on the log scale), above 1 it **explodes** "
        "(relu can). The LSTM's cell state and the GRU's update gate add paths with nearly identity "
        "Jacobians, so their curves stay flat for longer."
    ),
    "packing_explained": (
        "A zero-padded batch run as if every sequence were full length keeps stepping through the "
        "padding: the forward h_n of a short sequence is its state after the padding, and its reverse "
        "direction starts in the padding instead of at its last real step. Packed, each sequence stops at "
        "its own end and the reverse direction starts at t = length − 1 ({starts}); a non-zero difference "
        "above is exactly the error the padding causes."
    ),
    "step_t": "Step-through: the time step marked in every chart and worked out below by hand.",
    "step_back": "One time step back.",
    "step_next": "One time step forward.",
    "step_play": "Play: the marker walks through the steps by itself (about two a second) and stops at the end.",
    "step_unit": "Which hidden unit's equations to work out at the chosen step.",
    "pca_dims": "Show the hidden state's path in its first two or three principal components.",
}
