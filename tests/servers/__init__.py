"""Real servers on loopback for the tests: Dovecot (IMAP) and PostgreSQL, from Debian's packages."""
