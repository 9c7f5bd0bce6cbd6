"""The pages: thin scripts that st.navigation runs (a package only so the layer contract can name it)."""
