"""Shared words: the display names and sentences every output a person reads uses, in
English and Chinese — the run report, the terminal of each command (``plan``, ``run``,
``simulate``, ``requirements``, ``capacity``, ``monitor``), the capacity plan and the
monitoring page.

Below all of their users (:mod:`scenarios.run`, :mod:`scenarios.capacity`,
:mod:`scenarios.monitor`, :mod:`scenarios.commands`), never inside one of them; it imports
only :mod:`rules.catalogue` (a KPI's Chinese word) among the project's modules.

- :mod:`~scenarios.words.labels` — the name and unit of every machine key (KPIs, pools,
  channels, the flat-pay baseline): ``kpi_label``, ``pool_label``, ``kpi_value`` …;
- :mod:`~scenarios.words.i18n` — the message table and ``t(key, lang, **params)``, with
  the report's (:mod:`~scenarios.words.messages_report`) and the capacity plan's
  (:mod:`~scenarios.words.messages_capacity`) messages merged in.
"""
