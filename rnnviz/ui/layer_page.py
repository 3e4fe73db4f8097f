"""The page for one layer kind: controls beside the views."""

from __future__ import annotations

import streamlit as st

from rnnviz.checks import CallError
from rnnviz.examples import SEED_EXAMPLES
from rnnviz.inputs import InputError, input_extent, input_features
from rnnviz.server.budget import ServerBusy
from rnnviz.shapes import trace_nbytes
from rnnviz.spec import SpecError
from rnnviz.ui.controls import draw, input_controls, layer_controls, load_example
from rnnviz.ui.presenter import page_columns
from rnnviz.ui.router import ensure_router
from rnnviz.ui.run import TRACE_BUDGET_MB, traced_run
from rnnviz.ui.sidebar import sidebar as draw_sidebar
from rnnviz.ui.table import LAYER, url_controls
from rnnviz.ui.text_view import show_text_view, views_for
from rnnviz.ui.texts import t, translate
from rnnviz.ui.url_state import bind_url, write_url
from rnnviz.ui.views import keep_playing, show_proof_and_downloads, show_views
from rnnviz.ui.whatif_view import own_layer, show_whatif


def layer_page(kind: str) -> None:
    ensure_router()
    link = url_controls(LAYER, kind)
    notices = bind_url(link)
    st.header(f"nn.{kind}")
    for notice in notices:
        st.warning(notice)
    sidebar = draw_sidebar()
    controls, views = page_columns()  # side by side, or folded above the views on a projector
    with controls:
        for index, example in enumerate(SEED_EXAMPLES):
            if example.spec.kind == kind:
                st.button(t("example_button", title=t(f"example_short_{example.key}")), key=f"preset_{index}",
                          on_click=load_example, args=(index,),
                          help=t("help_preset", title=t(f"example_{example.key}")))
        found, weights = own_layer(kind, sidebar["dtype"])
        spec = layer_controls(kind, sidebar, found.spec if found is not None else None)
        source = input_controls(sidebar["seed"])
    write_url(link)
    with views:
        if isinstance(source, str):
            st.error(source)  # already worded by input_controls
            return
        follows = None  # shown only once the layer has run: never beside a refusal
        try:
            features = input_features(source)
            if features is not None and features != spec.input_size:
                if found is not None:  # the file's layer reads exactly its own input_size
                    st.error(t("own_layer_input", layer=spec.input_size, source=t(source.kind),
                               data=features))
                    return
                follows = t("input_follows", source=t(source.kind), features=features)
                spec = spec.replace(input_size=features)
            problems = spec.errors()
            if problems:
                st.error("\n\n".join(translate(problem) for problem in problems))
                return
            for advice in spec.advice():
                st.warning(translate(advice))
            needed = trace_nbytes(spec, *input_extent(source)) / 2**20
            if needed > TRACE_BUDGET_MB:
                st.error(t("over_budget", needed=needed, budget=TRACE_BUDGET_MB))
                return
            queued = st.empty()
            with st.spinner(t("running")):
                run = traced_run(spec, source, weights, found, on_wait=lambda: queued.info(t("run_queued")))
            queued.empty()
        except (SpecError, InputError, CallError) as error:
            st.error(translate(error))
            return
        except ServerBusy:
            st.error(t("server_busy"))
            return
        if follows:
            st.info(follows)
        # One view at a time: only its figures are built and sent, so a slider move stays quick.
        view = draw(LAYER["view"], options=views_for(source.kind, LAYER["view"].options, LAYER["view"].key))
        if view == "Text":
            show_text_view(run.trace, run.sequence_names, run.key)
        elif view == "What if":
            try:
                show_whatif(run)
            except ServerBusy:
                st.error(t("server_busy"))
        else:
            show_views(run, view)
        show_proof_and_downloads(run, spec, lambda: traced_run(spec, source, weights, found))
    keep_playing()
