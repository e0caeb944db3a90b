"""The smallest Streamlit page: the baseline the UI benchmark measures side by side with the app's pages, so
its figures can be read as ratios on a loaded machine (bench/bench_ui.py)."""

import streamlit as st

st.title("Trivial page")
ticked = st.checkbox("Tick me", key="trivial_tick")
st.write("ticked" if ticked else "not ticked")
