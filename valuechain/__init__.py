"""Domain package of the valuechain dashboard: data access, filters, figures. Never imports Streamlit."""
