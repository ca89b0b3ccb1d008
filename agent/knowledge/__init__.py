"""Knowledge: curated practice entries, benchmark tables, and (later) the vector store."""
