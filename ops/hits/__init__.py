"""Hit/no-hit: telling a reader which agencies hold a record matching an identifier, never what it says;
and the access requests that follow from a hit."""
