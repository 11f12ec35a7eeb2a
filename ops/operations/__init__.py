"""Operations: team leads' reports of joint operations, their seizures, persons, vehicles and files."""
