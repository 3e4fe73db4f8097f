"""English sentences of the torch-only core (rnnviz.messages): validation messages, advice,
input, call and layer-file errors."""

MESSAGES = {
    "kind": "kind must be one of RNN, LSTM, GRU; got {value!r}.",
    "whole": "{name} must be a whole number; got {value!r}.",
    "at_least_1": "{name} must be at least 1; got {value}. Set it to 1 or more.",
    "boolean": "{name} must be True or False; got {value!r}.",
    "nonlinearity": "nonlinearity must be 'tanh' or 'relu' (lower case); got {value!r}.",
    "nonlinearity_rnn_only": (
        "nonlinearity applies to RNN only; {kind} has fixed gate activations. Leave it at 'tanh'."
    ),
    "dropout_range": "dropout is a probability and must lie in [0, 1]; got {value!r}.",
    "proj_lstm_only": "proj_size works with LSTM only, not {kind}: set proj_size to 0 or switch to LSTM.",
    "proj_negative": "proj_size must be 0 (no projection) or positive; got {value}.",
    "proj_too_big": (
        "proj_size ({proj}) must be smaller than hidden_size ({hidden}): lower proj_size to at most {top}, "
        "raise hidden_size, or set proj_size to 0."
    ),
    "dtype": "dtype must be 'float32' or 'float64'; got {value!r}.",
    "seed": "seed must be a whole number ≥ 0; got {value!r}.",
    "too_many_parameters": (
        "this layer would have {count:,} parameters, more than the {top:,} rnnviz builds: lower hidden_size, "
        "input_size or num_layers."
    ),
    "dropout_one_layer": (
        "dropout acts between stacked layers only: with num_layers = 1 it does nothing (torch warns about "
        "this). Raise num_layers or set dropout to 0."
    ),
    "dropout_eval": (
        "dropout acts only in train mode; in eval mode the layer ignores it. Switch to train mode to see it."
    ),
    "dropout_one": "dropout = 1 zeroes every output of the lower layers: the upper layers see only zeros.",
    "relu_unbounded": "relu is unbounded: hidden states can grow geometrically over long sequences.",
    "source": "input source must be one of {options}; got {value!r}.",
    "features_mismatch": (
        "the {source} input has {features} features but input_size is {input_size}: set input_size to "
        "{features}."
    ),
    "unbatched_many": (
        "unbatched input holds one sequence; this data has several: keep only one or switch to batched."
    ),
    "initial_state": "initial_state must be 'zeros' or 'random'; got {value!r}.",
    "size_whole": "{name} must be a whole number ≥ 1; got {value!r}.",
    "size_too_big": "{name} = {value} is more than rnnviz runs ({top}): lower it.",
    "lengths_count": "give one length per sequence: {batch} sequences, {count} lengths.",
    "lengths_range": "every length must lie in 1..{steps} (the padded length); got {bad}.",
    "lengths_sorted": (
        "with enforce_sorted=True the lengths must be in decreasing order: sort the batch or turn "
        "enforce_sorted off."
    ),
    "text_empty": "the text is empty: type at least one character.",
    "csv_empty": "the CSV is empty: give a header row and at least one row of numbers.",
    "csv_ragged": (
        "the CSV's rows have different numbers of fields ({detail}); make every row as long as the header."
    ),
    "csv_open_quote": (
        "a quote (\") in the record that starts on line {line} of the CSV is never closed, so the rest of "
        "the file would read as one text field: close the quote, or remove it."
    ),
    "csv_unreadable": "the CSV could not be read ({detail}).",
    "csv_no_rows": "the CSV has a header but no rows: add at least one row of numbers.",
    "csv_no_column": "the CSV has no column {column!r}; its columns are {columns}.",
    "csv_no_features": (
        "the CSV has no feature columns besides the sequence column {column!r}: add at least one column of "
        "numbers (a feature) beside it."
    ),
    "csv_none": "choose a CSV file (rows = time steps, columns = features, at most 5 MB).",
    "csv_encoding": (
        "the file is {encoding} text, not UTF-8: save the CSV as UTF-8 (plain text; “CSV UTF-8” in a "
        "spreadsheet) and upload it again."
    ),
    "csv_binary": (
        "the file holds NUL bytes, so it is not UTF-8 plain text (UTF-16, or a spreadsheet such as .xlsx?): "
        "save it as a UTF-8 CSV (plain text) and upload it again."
    ),
    "csv_not_utf8": (
        "the CSV is not UTF-8 text (byte {byte} at position {position}): save it as a UTF-8 CSV (plain text) "
        "and upload it again."
    ),
    "csv_extra_fields": (
        "the CSV's rows and header have different numbers of fields: row {row} has {fields} fields, the "
        "header {width}. Name every column in the header, or remove the extra fields."
    ),
    "csv_columns": (
        "the CSV has {count:,} columns, more than the {top} features rnnviz feeds a layer: keep fewer "
        "columns."
    ),
    "csv_no_sequence_id": (
        "the CSV's row {row} has no value in the sequence column {column!r}: give every row a sequence id."
    ),
    "csv_sequences": (
        "the CSV has {count:,} sequences (distinct values of {column!r}), more than rnnviz runs at once "
        "({top:,}): keep fewer sequences."
    ),
    "csv_long": (
        "the CSV's longest sequence has {count:,} rows, more than the {top:,} time steps rnnviz runs: "
        "shorten it."
    ),
    "csv_infinite": (
        "the CSV holds {value} at row {row}, column {column!r}: rnnviz needs finite numbers (an infinity, or "
        "a number beyond float64's range of about 1.8e308, cannot be fed to a layer)."
    ),
    "csv_float32_overflow": (
        "the CSV's value {value} at row {row}, column {column!r} is too large for float32 (its largest value "
        "is about 3.4e38): scale the data down or set dtype to float64."
    ),
    "text_too_long": "the text has {count:,} characters, more than rnnviz reads ({top:,}): shorten it.",
    "text_lines": (
        "the text has {count:,} lines (one sequence each), more than rnnviz runs at once ({top:,}): use "
        "fewer lines."
    ),
    "text_line_long": (
        "the text's longest line has {count:,} characters, more than the {top:,} time steps rnnviz runs: "
        "break it into shorter lines."
    ),
    "text_vocabulary": (
        "the text has {count:,} distinct characters, more than the {top} one-hot features rnnviz builds: use "
        "a text with fewer distinct characters."
    ),
    "input_values": (
        "the input would hold {values:,} numbers ({steps:,} steps × {sequences:,} sequences × {features:,} "
        "features, padded), more than rnnviz builds ({top:,}): use fewer or shorter sequences, or fewer "
        "features."
    ),
    "csv_text_cell": "the CSV holds text where a number belongs: row {row}, column {column!r} = {value!r}.",
    "csv_nan": (
        "the CSV has a missing value (NaN) at row {row}, column {column!r}: fill it in or drop the row."
    ),
    "packed_2d": "a PackedSequence's .data must be 2-D (sum of lengths, input_size); got {shape}.",
    "input_dims": (
        "input must be 3-D {layout} or 2-D (seq_len, input_size) for one unbatched sequence; got a {dims}-D "
        "tensor of shape {shape}."
    ),
    "no_steps": "the sequence length is 0: give at least one time step.",
    "empty_batch": "the batch is empty (batch size 0): give at least one sequence.",
    "input_features": (
        "the input has {features} features in its last dimension but the layer's input_size is {input_size}: "
        "make them equal."
    ),
    "input_dtype": (
        "the input's dtype is {dtype} but the layer's weights are {weights}: convert one of them "
        "(x.to({weights}) or module.to({dtype}))."
    ),
    "input_device": "the input is on {device} but the layer is on {layer}: move one of them.",
    "lstm_pair": "an LSTM takes its initial state as a pair (h_0, c_0).",
    "state_tensor": "{kind} takes its initial state h_0 as one tensor.",
    "state_type": "{name} must be a tensor; got {type}.",
    "state_shape": "{name} has shape {shape} but this call needs {expected} {dims}.",
    "state_shape_batch_first": (
        "{name} has shape {shape} but this call needs {expected} {dims} — h_0 never follows batch_first."
    ),
    "state_dtype": "{name} is {dtype} on {device}; the layer is {weights} on {layer}: convert {name}.",
    "device_name": "'{requested}' is not a device name ({detail}); using cpu.",
    "device_missing": "{device} is not available on this machine ({offered}); using cpu.",
    "task_symbols": "recall needs 2 to 32 symbols; got {value}.",
    "task_series": "the series needs at least 3 rows of numbers: upload a CSV with more rows.",
    "task_text_short": "the text needs at least 3 characters to predict the next one.",
    "task_vocabulary": (
        "the text has {count} distinct characters, more than the {top} the task one-hot encodes: use a "
        "shorter or simpler text."
    ),
    "task_name": "task must be one of {options}; got {value!r}.",
    "layer_damaged": (
        "the file is damaged or cut short, so it could not be read to its end: save it again, or upload it "
        "again if the upload was interrupted."
    ),
    "layer_not_torch": (
        "this is not a file torch.save or safetensors wrote (it starts with neither a zip archive, a pickle "
        "nor a safetensors header): save the layer with torch.save(module.state_dict(), path) and upload "
        "that."
    ),
    "layer_torchscript": (
        "this is a TorchScript file (torch.jit.save): a program, not only weights, and rnnviz never runs a "
        "program from a file. Save the weights instead: torch.save(model.state_dict(), path)."
    ),
    "layer_whole_module": (
        "this file holds a whole pickled model ({names}), not only its weights: loading it would run code "
        "from the file, which rnnviz never does. Save the weights instead: "
        "torch.save(model.state_dict(), path), and upload that file."
    ),
    "layer_needs_code": (
        "the file is a pickle that needs code to load ({names}), and rnnviz never runs code from a file. "
        "Save only the tensors: torch.save(module.state_dict(), path), or use safetensors."
    ),
    "layer_not_state_dict": (
        "the file holds a {found}, not a state dict of tensors: save module.state_dict() instead."
    ),
    "layer_none_at_all": (
        "the file holds tensors ({names}) but no recurrent layer: rnnviz looks for weight_ih_l0 and "
        "weight_hh_l0 (nn.RNN, nn.LSTM, nn.GRU) or a cell's weight_ih and weight_hh (nn.RNNCell, "
        "nn.LSTMCell, nn.GRUCell)."
    ),
    "layer_none_found": (
        "no recurrent layer (weight_ih_l0, weight_hh_l0) under {prefix}; the file has layers under: {found}."
    ),
    "layer_shapes": (
        "weight_ih_l0 has shape {shape}, which is not 1, 3 or 4 blocks of hidden_size {hidden}: this is not "
        "an nn.RNN, nn.GRU or nn.LSTM."
    ),
    "layer_keys": (
        "the parameters do not match the layer they describe: missing {missing}; unexpected {unexpected}."
    ),
    "layer_inconsistent": "the parameters' shapes do not fit one layer: {detail}.",
    "layer_compressed": (
        "the file's zip members are compressed, which torch.save never does: save the layer with "
        "torch.save(module.state_dict(), path) and upload that file."
    ),
    "layer_too_big": (
        "the file would unpack to more than {top} MB: save only the recurrent layer's state dict."
    ),
    "layer_layers": (
        "the layers in the file are numbered {found}: rnnviz reads layers 0, 1, … in order, at most {top}."
    ),
    "layer_sparse": (
        "{name} is a sparse tensor, and rnnviz reads dense floating-point weights: save tensor.to_dense() "
        "instead."
    ),
    "layer_quantized": (
        "{name} is a quantized tensor, and rnnviz reads floating-point weights: save tensor.dequantize() "
        "instead."
    ),
    "layer_meta": (
        "{name} holds no values: the state dict was saved from a module on the meta device. Give the module "
        "real weights first (load or train them), then save its state dict."
    ),
    "layer_dtype": (
        "{name} holds {dtype} values; a recurrent layer's weights are real floating point (float16, "
        "bfloat16, float32 or float64): save them as one of those."
    ),
    "layer_expanded": (
        "{name} has {count:,} values, but the file stores only {stored:,} bytes for them (an expanded or "
        "overlapping view): save real tensors, e.g. each as tensor.contiguous().clone()."
    ),
    "layer_not_finite": (
        "{name} holds {count:,} NaN or infinite values, so every output of the layer would be NaN: check "
        "the training run that saved it, and save a state dict whose weights are finite."
    ),
    "layer_objects": (
        "the file would build more than {top:,} tensors and other objects: save only the recurrent layer's "
        "state dict."
    ),
    "layer_over": "this layer is larger than the page's controls go ({detail}): it cannot be shown here.",
    "train_peeks": (
        "a bidirectional layer reads the next step while predicting it, so the task would teach nothing: "
        "turn bidirectional off for sine, series and text, or choose adding or recall."
    ),
    "train_too_big": (
        "a training batch would hold {values:,} numbers, more than the {top:,} rnnviz builds: lower seq_len "
        "or batch size, or use fewer features."
    ),
    "class_server_full": (
        "this server already runs {most} classes, as many as it allows: end a class you no longer use, or "
        "ask whoever runs the server to raise RNNVIZ_CLASS_MAX."
    ),
    "class_unknown": (
        "there is no class {code} on this server (a class ends when its teacher ends it or after hours "
        "without use): check the code on the projector, or ask your teacher for a new one."
    ),
    "class_full": (
        "this class already has {most} students, as many as it takes: ask your teacher, or explore on your "
        "own."
    ),
    "class_not_teacher": "only the teacher's browser can change what the class sees.",
    "class_view_too_long": "this view's link is too long to share with the class: use fewer parameters.",
    "class_question_invalid": (
        "a question needs its words (at most {text} characters), and a choice question 2 to {most} "
        "different options of at most {option} characters each."
    ),
    "class_question_gone": "the teacher has moved on to another question: answer the one on screen.",
    "class_answer_choice": "choose one of the options shown.",
    "class_answer_number": "type a number, e.g. 24 or 0.5.",
    "class_not_member": "join the class first: type its code under Class in the sidebar.",
}
