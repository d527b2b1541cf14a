"""The coder: the stages that turn a cleaned article into coded events, in the order the pipeline runs them.

    clean.py      the Simplified view, site names, captions, repeated blocks, broken paragraphs
    sentences.py  sentences and quoted speech
    dates.py      date expressions, the inferred publication date
    tokens.py     the learnt lexical layer (LAC): words, parts of speech and names in trigger clauses
    actors.py     actor mentions: lexicon names, compounds, names after titles, lists, counts
    coref.py      後者, 雙方, 他, 該國, 其 …
    events.py     triggers, their arguments (grammar.py: prepositions, subjects, clauses), dates, places
    stance.py     statements whose complement condemns another party (criticism)
    dedup.py      each event once, with all its mentions

Each stage is a small callable that reads a :class:`magpie.document.Document` and adds to it; the
pipeline (:mod:`magpie.pipeline`) strings them together and knows nothing of where it runs.
"""
