"""Print preview: every sheet is shown as a PDF, saved as a file or printed through QPrintDialog."""
