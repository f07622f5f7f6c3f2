using System;

namespace DecisionRouting.Stores
{
    /// <summary>
    /// The store's schema is newer than this version of decision-routing understands: it was written by a later
    /// version. Nothing was read or changed; use that version (or a later one) to work with this store.
    /// </summary>
    public sealed class StoreSchemaTooNewException : Exception
    {
        /// <summary>Creates the exception.</summary>
        internal StoreSchemaTooNewException(string store, int found, int understood)
            : base($"{store} has case store schema version {found}, newer than this decision-routing understands (version {understood}); nothing was read or changed. Use the decision-routing that wrote it, or a later one")
        {
            Found = found;
            Understood = understood;
        }

        /// <summary>The schema version the store records.</summary>
        public int Found { get; }

        /// <summary>The newest schema version this code reads and writes (<see cref="RelationalProposalStore.SchemaVersion"/>).</summary>
        public int Understood { get; }
    }

    /// <summary>
    /// A write to a store that can only be read: a SQLite file opened read-only or without write permission, or a
    /// PostgreSQL session or database that is read-only. Nothing was changed; reading still works.
    /// </summary>
    public sealed class StoreReadOnlyException : Exception
    {
        /// <summary>Creates the exception.</summary>
        internal StoreReadOnlyException(string store, Exception? inner = null)
            : base($"{store} can only be read (read-only file or session); nothing was changed. Reading commands (status, history, graph, audit verify, audit head) still work", inner)
        {
        }
    }

    /// <summary>
    /// The store's schema record (table <c>store_meta</c>) was changed by hand: deleted, or holding a value no version of
    /// decision-routing writes, or disagreeing with the tables. Nothing was read or changed. Cases cannot be used until it
    /// is restored; <c>audit verify</c> (<see cref="DecisionRouting.Lifecycle.AuditChain"/>) still reads the trail and
    /// reports this with everything else that was changed.
    /// </summary>
    public sealed class StoreMetaTamperedException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="store">What the store is (its file, or the PostgreSQL database).</param>
        /// <param name="problem">What is wrong with <c>store_meta</c>, in plain English.</param>
        internal StoreMetaTamperedException(string store, string problem)
            : base($"{store}: {problem}; nothing was read or changed. Run 'decision-routing audit verify' to see what else was changed, then restore the store from a backup")
        {
            Problem = problem;
        }

        /// <summary>What is wrong with <c>store_meta</c>.</summary>
        public string Problem { get; }
    }

    /// <summary>
    /// A case document larger than a case store keeps: more than 128 MiB of UTF-8 (the limit every stored text value has,
    /// beyond which reading treats a value as damage). Nothing was written and no audit entry was numbered. A routing plan
    /// this large comes only from a proposal or rule set far beyond the documented limits (a proposal of at most 4 MiB,
    /// rule files of at most 64 MiB).
    /// </summary>
    public sealed class CaseDocumentTooLargeException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="store">What the store is (its file, or the PostgreSQL database).</param>
        /// <param name="caseId">The case whose document was refused.</param>
        /// <param name="bytes">The document's size in bytes of UTF-8.</param>
        /// <param name="limit">The most bytes a stored document may hold.</param>
        internal CaseDocumentTooLargeException(string store, string caseId, long bytes, long limit)
            : base($"{store}: case '{caseId}' was not written: its document is {bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes (UTF-8), more than the {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)} a case store keeps; nothing was changed. A plan this large comes only from a proposal or rule set far beyond the documented limits")
        {
            CaseId = caseId;
            Bytes = bytes;
            Limit = limit;
        }

        /// <summary>The case whose document was refused.</summary>
        public string CaseId { get; }

        /// <summary>The document's size, in bytes of UTF-8.</summary>
        public long Bytes { get; }

        /// <summary>The most bytes of UTF-8 a stored document may hold (128 MiB).</summary>
        public long Limit { get; }
    }
}
