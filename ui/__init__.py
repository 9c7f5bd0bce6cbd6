"""Streamlit-side helpers for dashboard.py and pages/ (the domain logic lives in valuechain/)."""
