"""Compare two versions of a policy and judge each change: the pipeline, in the order data flows.

1. Structural diff: ``diff`` (two ``Policy`` models -> ``Change`` list), ``moves`` (text that moved
   between blocks).
2. Reading the text: ``lexicons`` (the word lists of ``data/rules.yaml``), ``clauses`` (negation, scope,
   conditions of a sentence), ``actions`` (who does what to which data), ``statements`` (what a sentence
   states that facts must hold), ``terms`` (words whose presence changes the meaning), ``contacts``
   (e-mail addresses, URLs, phone numbers), ``hunks`` (which word runs are editorial).
3. Findings: ``prose`` (what changed in a text, each with its direction).
4. Rule inputs: ``topics`` (the legal category of a change of wording), ``observations`` (what a rule
   matches on, per change).
5. Rules: ``rules`` (``data/rules.yaml`` and a project's own rules file, checked like a policy file).
6. Verdict: ``classify`` (each change's level, rule, reason, citation; overrides).
7. Report: ``diffreport`` (``policyctl diff``: versions, diff, verdict, rendered).

Each stage imports only the stages above it. Import the module you need
(``from policykit.compare.classify import classify``): this package re-exports nothing.
"""
