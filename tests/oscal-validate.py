#!/usr/bin/python3
"""Validate OSCAL JSON documents against the official NIST schemas.

usage: oscal-validate.py SCHEMA.json DOCUMENT.json

Prints each validation error with its JSON path and exits 1 when there
is one.  Uses Debian's python3-jsonschema (draft-07) and checks the
"pattern" keyword with the regex module, because the OSCAL token pattern
uses \\p{L} and \\p{N}, which Python's re module rejects.
"""
import json
import sys

import jsonschema
import regex


def pattern(validator, expected, instance, schema):
    if isinstance(instance, str) and not regex.search(expected, instance):
        yield jsonschema.ValidationError(
            f"{instance!r} does not match {expected!r}")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: oscal-validate.py SCHEMA.json DOCUMENT.json")
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        document = json.load(f)
    validator_class = jsonschema.validators.extend(
        jsonschema.Draft7Validator, {"pattern": pattern})
    errors = sorted(validator_class(schema).iter_errors(document),
                    key=lambda e: list(e.absolute_path))
    for error in errors:
        path = "/".join(str(p) for p in error.absolute_path)
        print(f"{sys.argv[2]}: /{path}: {error.message}")
    if errors:
        sys.exit(1)
    print(f"{sys.argv[2]}: valid")


if __name__ == "__main__":
    main()
