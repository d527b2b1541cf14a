"""The coder: the stages that turn a cleaned article into coded events, in the order the pipeline runs them.

    clean.py      the Simplified view, site names, captions, repeated blocks, broken paragraphs
    sentences.py  sentences and quoted speech
    dates.py      date expressions, the inferred publication date
    tokens.py     the learnt lexical layer (LAC): words, parts of speech and names in trigger clauses
    actors.py     actor mentions: lexicon names, compounds, names after titles, lists, counts
      compounds.py    <place or country><institution><title><name> merged into one mention; country groups
      names.py        names the lexicon does not list: after a title, untitled, the model's, 王某, 马方, firms
    coref.py      後者, 雙方, 他, 該國, 其 …
    events.py     the trigger loop: which triggers are events, each coded with its actors, date and place
      state.py        the trigger type and the per-document state the coding of each trigger shares
      triggers.py     the trigger filters: names, charges, titles, event nouns; negation, the future
      arguments.py    who did it to whom (grammar.py: prepositions, subjects, clauses), implied agents
      placing.py      the article's home country, the country of an unplaced role, governments, defendants
      event_dates.py  the event's date: its clause's, the sentence's, the context's or the report's
    stance.py     statements whose complement condemns another party (criticism)
    dedup.py      each event once, with all its mentions

Each stage is a small callable that reads a :class:`magpie.document.Document` and adds to it; the
pipeline (:mod:`magpie.pipeline`) strings them together and knows nothing of where it runs.
"""
