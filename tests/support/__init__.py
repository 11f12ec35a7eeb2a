"""What tests share besides fixtures: accounts and sign-in, forms, import files, search worlds, catalogues,
browser steps. Tests import helpers from here only; never from conftest or from another test module."""
