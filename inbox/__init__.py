"""Mailbox ingestion: MIME and PEC parsing (pure, bytes in and dataclasses out) and the
mailbox sources (IMAP, Maildir) that only fetch and acknowledge."""
