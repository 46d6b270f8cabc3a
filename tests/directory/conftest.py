from tests.directory.slapd import directory_fixture, slapd_fixture  # noqa: F401  the fixtures of the LDAP tests
