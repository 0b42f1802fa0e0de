"""Compare two versions of a policy and judge each change: the pipeline, in the order data flows.

1. Structural diff: ``diff`` (two ``Policy`` models -> ``Change`` list).
2. Reading the text, lowest layer first: ``lexicons`` (the word lists of ``data/rules.yaml``), ``paraphrase``
   (clause-level rewordings, a connective, a citation's style, read in one form), ``text`` (normalised forms,
   sentences), ``contacts`` (e-mail addresses, URLs, phone numbers), ``findings``
   (the ``Finding``, ``Delta`` and ``Known`` types every reader reports with), ``clauses`` (negation,
   scope and conditions in a sentence), ``actions`` (who does what to which data), ``actionchanges``
   (how the actions of two texts differ, verb by verb), ``countries``, ``statements`` (what a sentence
   states that the facts must hold), ``terms`` (words whose presence changes the meaning), ``parties``
   (named parties and countries, in context), ``hunks`` (which runs of changed words are editorial),
   ``values`` (periods, ages, dates, amounts, contact channels, citations and numbers: what can be
   compared by value).
3. Findings: ``prose`` (what changed in a text, each finding with its direction), ``examples``
   (whether a change only adds an example or a definition in brackets that names nothing new: the
   ``example-added`` finding), ``sameness`` (whether
   a rewording is proven to keep every statement: the ``same-meaning`` findings of the verdict),
   ``narrowing`` (whether a change is proven to only take items out of the processing asserted, or to
   only add a protection, a right or a means to reach us: the ``only-narrowed`` and ``protection-added``
   findings), ``recipients`` (whether a change that reads as narrowing takes a recipient's limit out:
   the ``recipient-widened`` finding).
4. Rule inputs: ``topics`` (the legal category of a change of wording), ``observations`` (what the
   rules match on, per change), ``moves`` (sentences that moved between blocks count as moved, not as
   removed and added).
5. Rules: ``rules`` (``data/rules.yaml`` and a project's own rules file, checked like a policy file).
6. Verdict: ``consent`` (whether a material change needs fresh consent, and on which legal ground:
   ``data/consent.yaml``), ``classify`` (each change's level, rule, reason, citation, consent flag;
   overrides).
7. Report: ``diffreport`` (what ``policyctl diff`` prints) and ``history`` (``policyctl log``: the
   verdict of each commit, cached and shared among worker processes).

A module imports only modules before it in this list (``observations`` also takes the
``RuleSet`` type of ``rules``), and there is no import cycle. Import the module you need
(``from policykit.compare.classify import classify``): this package re-exports nothing.
"""
