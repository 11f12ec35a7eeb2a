"""The auditors' pages: reading the audit trail of an agency, and who outside the agency read its records."""
