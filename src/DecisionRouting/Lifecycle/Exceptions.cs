using System;

namespace DecisionRouting.Lifecycle
{
    /// <summary>
    /// Someone else changed the case between reading and saving it. Nothing was saved; reload the case and try again
    /// (the trigger may no longer be allowed, or may already have been done).
    /// </summary>
    public sealed class CaseConflictException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public CaseConflictException(string caseId, long expectedVersion)
            : base($"Case '{caseId}' was changed by someone else while you were acting on it (you had version {expectedVersion}); nothing was saved. Reload it and try again.")
        {
            CaseId = caseId;
            ExpectedVersion = expectedVersion;
        }

        /// <summary>Creates the exception for a request whose <see cref="TriggerRequest.ExpectedVersion"/> is not the case's version.</summary>
        public CaseConflictException(string caseId, long expectedVersion, long foundVersion)
            : base($"Case '{caseId}' is at version {foundVersion}, not the version {expectedVersion} you acted on: someone else changed it since you read it; nothing was saved. Reload it and try again.")
        {
            CaseId = caseId;
            ExpectedVersion = expectedVersion;
            FoundVersion = foundVersion;
        }

        /// <summary>The case.</summary>
        public string CaseId { get; }

        /// <summary>The version the caller had read.</summary>
        public long ExpectedVersion { get; }

        /// <summary>The case's version when the request was checked, when it was known before saving; null for a conflict found on save.</summary>
        public long? FoundVersion { get; }
    }

    /// <summary>No case has this id in the store.</summary>
    public sealed class CaseNotFoundException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public CaseNotFoundException(string caseId)
            : base($"There is no case '{caseId}' in this store.")
        {
            CaseId = caseId;
        }

        /// <summary>The id asked for.</summary>
        public string CaseId { get; }
    }

    /// <summary>A case with this id already exists; nothing was created.</summary>
    public sealed class CaseAlreadyExistsException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public CaseAlreadyExistsException(string caseId)
            : base($"A case '{caseId}' already exists in this store; nothing was created. Choose another id or act on the existing case.")
        {
            CaseId = caseId;
        }

        /// <summary>The id.</summary>
        public string CaseId { get; }
    }

    /// <summary>The store's contents cannot be read as a case or audit entry (a damaged or hand-edited row).</summary>
    public sealed class CorruptCaseException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public CorruptCaseException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }

    /// <summary>
    /// A request that is not a well-formed trigger for this case: an unknown trigger, step or role, a step or date
    /// missing where the trigger needs one or given where it takes none, or no actor; or, for this and for creating a
    /// case, an actor name or case id holding a control character or line break. It is a usage mistake, not a
    /// refusal by the rules, so nothing is audited and the case is unchanged; the message says what to fix, with the
    /// closest valid name where there is one.
    /// </summary>
    public sealed class InvalidTriggerException : ArgumentException
    {
        /// <summary>Creates the exception.</summary>
        internal InvalidTriggerException(string message, string parameter)
            : base(message, parameter)
        {
            Problem = message;
        }

        /// <summary>What is wrong and how to fix it, without the parameter name .NET appends to <see cref="ArgumentException.Message"/>.</summary>
        public string Problem { get; }
    }

    /// <summary>
    /// An operator's void (<see cref="IProposalStore.VoidAsync"/>) was refused: the store numbers without gaps, or a
    /// number holds an entry, is already void, or lies above the newest committed entry. Nothing was recorded.
    /// </summary>
    public sealed class AuditVoidRefusedException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public AuditVoidRefusedException(string message)
            : base(message)
        {
        }
    }
}
