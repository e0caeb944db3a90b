"""The Streamlit app of Policy Atlas: an entry script that routes, thin pages, shared widgets, strings."""
