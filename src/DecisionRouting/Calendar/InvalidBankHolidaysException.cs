using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;

namespace DecisionRouting.Calendar
{
    /// <summary>A bank-holiday file could not be read; <see cref="Diagnostics"/> says where and why.</summary>
    public sealed class InvalidBankHolidaysException : Exception
    {
        /// <summary>Creates the exception from the problems found.</summary>
        internal InvalidBankHolidaysException(IReadOnlyList<RuleDiagnostic> diagnostics)
            : base(string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())))
        {
            Diagnostics = diagnostics;
        }

        /// <summary>Every problem found, with file, line and column.</summary>
        public IReadOnlyList<RuleDiagnostic> Diagnostics { get; }
    }
}
