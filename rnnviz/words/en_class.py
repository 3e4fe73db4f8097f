"""The words of a class led by a teacher, and of the presenter view, in English (merged into en.WORDS)."""

CLASS = {
    "class_title": "Class", "class_start": "Start a class", "class_join_code": "join code",
    "class_resume_key": "teacher key (to lead again)", "class_resume": "Lead this class again",
    "class_keep_key": "Teacher key",
    "help_class_resume_key": (
        "The key under \"Teacher key\" in the sidebar of the browser that started the class. With the join "
        "code above, it lets you lead the class again after a reload or from another browser."
    ),
    "help_class_resume": "Lead the class with this join code again, if the teacher key is the class's.",
    "help_class_keep_key": (
        "Shows the key that lets you lead this class again after a reload or from another browser: copy "
        "it somewhere private. Students never see it; do not open this on the projector."
    ),
    "class_join": "Join", "class_end": "End the class", "class_leave": "Leave the class",
    "class_follow": "follow the teacher", "class_show_join": "show the join code to the class",
    "class_teacher_code": "You lead class **{code}**. Students join at `{url}`.",
    "class_student_code": "You are in class **{code}**.",
    "class_following": "Your page follows the teacher's. Turn this off to explore on your own.",
    "class_exploring": "You explore on your own. Turn this on to follow the teacher again.",
    "class_join_big": "Join the class: **{code}**",
    "class_join_where": "Scan the code, or open {url} and type the code under Class in the sidebar.",
    "class_teacher_gone": (
        "The teacher's page has been closed for {seconds} s. Your page stays here; it follows again when "
        "the teacher is back."
    ),
    "class_ended": "The class has ended, or its code is not known here: {reason}",
    "class_ask_what": "question to ask", "class_own_question": "my own question",
    "class_q_text": "your question", "class_q_options": "options (comma-separated)",
    "class_q_answer": "answer (optional)", "class_ask": "Ask the class",
    "class_question": "Question to the class:", "class_your_answer": "your answer",
    "class_your_number": "your answer (a number)", "class_send": "Send",
    "class_sent": "Sent: {value}. You can change it until the teacher moves on.",
    "class_answered_count": "**{answered}** answered",
    "class_reveal": "show the answer", "class_answer_is": "Answer: {answer}",
    "class_no_answer": "This question has no computed answer here.",
    "plot_answers": "answers",
    "present": "presenter view",
    "present_controls": "Controls",
    "help_class_start": (
        "Start a class led from this browser: you get a join code and a QR code to project; students who "
        "join see the page you are on, and you can ask them questions."
    ),
    "help_class_join_code": "The six characters on the teacher's screen, e.g. K7P2QX.",
    "help_class_join": "Join the class with this code: your page then follows the teacher's.",
    "help_class_end": "End the class for everyone: students' pages stop following and the code stops.",
    "help_class_leave": "Leave the class: your page stops following and you answer no more questions.",
    "help_class_follow": (
        "On: your page moves with the teacher's, page and settings. Off: you explore on your own; turn it "
        "on again to catch up."
    ),
    "help_class_show_join": "Show the join code and its QR code large above the page, for the projector.",
    "help_class_ask_what": (
        "A question of the lesson path (its answer is computed by running the layers), or one you type."
    ),
    "help_class_q_text": "The question as students will read it (at most 300 characters).",
    "help_class_q_options": (
        "Two to six choices separated by commas, e.g. f, i, o. Leave empty to ask for a number."
    ),
    "help_class_q_answer": "Shown when you reveal it; leave empty if there is no single right answer.",
    "help_class_ask": "Put the question to the class now: their answers are counted live, anonymously.",
    "help_class_answer": "Anonymous: the teacher sees only how many gave each answer.",
    "help_class_send": "Send your answer; sending again replaces it.",
    "help_class_reveal": "Show the right answer on the projector and on every student's page.",
    "help_present": (
        "For a projector: the chart takes the screen, the controls fold away above it and the text is "
        "larger. The same as ?present=1 in the link."
    ),
    "poll_h_n": "h_n's first dimension counts…",
    "poll_h_n_steps": "time steps", "poll_h_n_layers": "layers × directions", "poll_h_n_batch": "sequences",
    "poll_h_n_units": "hidden units",
    "poll_bidirectional": "With bidirectional=True, what is output's last size here?",
    "poll_batch_first": "With batch_first=True, which tensors put the batch first?",
    "poll_bf_in_out": "input and output", "poll_bf_all": "input, output and h_n", "poll_bf_in": "input only",
    "poll_impulse": "Which gate decides how much of c is carried to the next step?",
    "poll_gate_f": "f (forget)", "poll_gate_i": "i (input)", "poll_gate_g": "g (cell candidate)",
    "poll_gate_o": "o (output)",
    "poll_vanishing": "At which step t does the tanh RNN's ‖∂h_T/∂x_t‖ fall below 1e-6?",
    "poll_packing": "How many rows does packed .data keep?",
    "poll_parameters": "How many parameters does the LSTM have here?",
    "train_queued": (
        "Your training waits its turn: place {place} in the queue ({slots} run at once), at most about "
        "{seconds:.0f} s. Same settings as another student's? Then you watch theirs at once."
    ),
    "train_shared": "{others} other page(s) watch this same training: it runs once for all of you.",
    "race_parameters": "parameters", "race_final": "final validation loss", "race_learned": "learned",
    "race_steps": "steps", "race_seconds": "seconds", "yes": "yes", "no": "no", "race_none": "none",
    "race_baseline_mse": "the constant answer's loss {value:.3f} (the dashed line)",
    "race_baseline_classes": "guessing's accuracy {value:.0%} (the dashed line)",
    "race_verdict": (
        "**{best}** ends lowest. Learned (validation loss below a tenth of {baseline}; for classes, "
        "accuracy halfway from guessing to perfect): {learned}."
    ),
    "train_long_memory": "Long-memory experiment",
    "help_train_long_memory": (
        "Sets the adding problem at seq_len {seq_len} (hidden_size {hidden_size}, batch {batch_size}, "
        "lr {lr}, {steps:,} steps, forget/update gate bias 1) and trains RNN, LSTM and GRU on it one after "
        "another, on the sidebar's seed."
    ),
    "train_long_memory_what": (
        "The adding problem at seq_len {seq_len}: two values marked among {seq_len} must be remembered to "
        "the last step. The tanh RNN's gradient from the answer back to the marked steps vanishes, so it "
        "stays at the constant answer (the dashed line); the LSTM's cell and the GRU's update gate carry "
        "the values, and their loss falls far below it."
    ),
    "train_forget_bias": "gate bias 1 (f, z)",
    "help_train_forget_bias": (
        "Start the LSTM's forget gate f and the GRU's update gate z with bias 1 (bias_hh[H:2H] = 1, "
        "bias_ih[H:2H] = 0, every layer): σ(1) ≈ 0.73, so from the first step each keeps most of its "
        "state and the gradient reaches further back. nn.RNN has no gate: no effect there."
    ),
    "train_baseline_line": "constant answer ({value:.3f})",
    "train_chance_line": "guessing ({value:.0%})",
}
