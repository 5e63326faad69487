"""The SphinxQL backend: an archive held by a Sphinx 2.2 (or Manticore) cluster of real-time shards,
searched through a distributed index and written shard by shard over the MySQL protocol.

``schema`` declares the indexes an archive needs and turns articles into rows; ``connection``
reaches the servers; ``compiler`` turns a query plan into MATCH() and attribute filters;
``searching`` answers the search layer; ``backend`` writes batches; ``servers`` runs local
searchd processes (``searchkit cluster``). Only this package imports pymysql, and only when an
index on this engine is opened.
"""
