from tests.directory.slapd import directory, slapd  # noqa: F401  the fixtures of the LDAP tests
