#!/usr/bin/env python3
"""Keeps the route reference in docs/api.md in step with src/server/openapi.json.

The part of docs/api.md between the BEGIN/END markers is generated from the
OpenAPI document; the rest is written by hand.

  scripts/api_doc.py            rewrite that part
  scripts/api_doc.py --check    exit 1 (with a diff) when it is out of date
"""
import difflib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "api.md")
SPEC = os.path.join(ROOT, "src", "server", "openapi.json")
BEGIN = "<!-- BEGIN GENERATED FROM src/server/openapi.json by scripts/api_doc.py -->"
END = "<!-- END GENERATED -->"


def schema_name(schema):
    if "$ref" in schema:
        return "`" + schema["$ref"].split("/")[-1] + "`"
    t = schema.get("type", "")
    if isinstance(t, list):
        t = " or ".join(t)
    if "enum" in schema:
        return t + ": " + ", ".join(f"`{v}`" for v in schema["enum"] if v is not None)
    return t


def render(spec):
    out = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            out.append(f"### {method.upper()} `{path}`\n")
            out.append(f"{op['summary']}. {op['description']}\n")
            params = op.get("parameters", [])
            if params:
                out.append("| parameter | in | | description |")
                out.append("|---|---|---|---|")
                for p in params:
                    req = "required" if p.get("required") else ""
                    kind = schema_name(p.get("schema", {}))
                    out.append(f"| `{p['name']}` | {p['in']} | {req} | {p.get('description', '')} ({kind}) |")
                out.append("")
            body = op.get("requestBody")
            if body:
                out.append("Body: " + ", ".join(f"`{c}`" for c in body["content"]) + ".\n")
            codes = []
            for code, resp in op["responses"].items():
                if "$ref" in resp:
                    codes.append(f"{code} (error)")
                else:
                    types = ", ".join(resp.get("content", {}).keys())
                    codes.append(f"{code} {resp['description']}" + (f" ({types})" if types else ""))
            out.append("Answers: " + "; ".join(codes) + ".\n")
    out.append("### Schemas\n")
    for name, schema in spec["components"]["schemas"].items():
        props = schema.get("properties", {})
        if not props and "allOf" in schema:
            parts = [s for s in schema["allOf"]]
            base = [schema_name(s) for s in parts if "$ref" in s]
            props = {k: v for s in parts for k, v in s.get("properties", {}).items()}
            out.append(f"**{name}**: {', '.join(base)} and " + ", ".join(f"`{k}`" for k in props) + ".\n")
            continue
        if props:
            out.append(f"**{name}**: " + ", ".join(f"`{k}` ({schema_name(v)})" for k, v in props.items()) + ".\n")
        else:
            out.append(f"**{name}**: {schema_name(schema)}.\n")
    return "\n".join(out).rstrip() + "\n"


def main():
    with open(SPEC) as f:
        spec = json.load(f)
    with open(DOC) as f:
        doc = f.read()
    if BEGIN not in doc or END not in doc:
        sys.exit(f"{DOC}: the markers are missing")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = head + BEGIN + "\n\n" + render(spec) + "\n" + END + tail
    if "--check" in sys.argv:
        if new != doc:
            sys.stdout.writelines(difflib.unified_diff(doc.splitlines(True), new.splitlines(True), DOC, "generated"))
            print("\ndocs/api.md is out of date: run scripts/api_doc.py", file=sys.stderr)
            return 1
        return 0
    with open(DOC, "w") as f:
        f.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
