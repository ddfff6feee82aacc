"""FAQ core: the questions people ask in clarification mail, matched to the published FAQ,
the unmatched ones clustered into FAQ candidates, and the gaps no FAQ answers.

Pure functions and in-memory objects: inputs in, results out; no database, no HTTP. The
Contact Center's collection of frequent requests that starts the publication of an FAQ is
built from what this package returns.
"""
