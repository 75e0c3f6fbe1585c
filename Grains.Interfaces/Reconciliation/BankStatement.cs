using System.Globalization;
using System.Text;

namespace Payments.Grains.Interfaces.Reconciliation;

/// <summary>One line of a bank statement: on <c>Date</c> the bank moved <c>Amount</c> (minor units) for <c>Reference</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record BankStatementLine(int Line, DateOnly Date, string Reference, long Amount, string Currency);

/// <summary>Why a statement cannot be read: the line (1 is the header) and the field (null for the line as a whole).</summary>
public sealed record BankStatementProblem(int Line, string? Field, string Message);

/// <summary>
/// Reads a bank statement: UTF-8 CSV with the header <c>date,reference,amount,currency</c>, then one line per bank
/// movement (<c>2026-12-01,po_…,12500,USD</c>). Dates are ISO (yyyy-MM-dd); amounts are non-zero integers in minor
/// units, and their sign is ignored (banks print debits either way); fields may be double-quoted. Blank lines are
/// skipped. Limits: <see cref="MaxLines"/> lines after the header, <see cref="MaxLineBytes"/> bytes a line.
/// </summary>
public static class BankStatement
{
    public const int MaxLines = 100_000;
    public const int MaxLineBytes = 1_024;
    public const int MaxReferenceLength = 128;

    /// <summary>The days a statement line may carry: any bank's, with room for the window's date arithmetic (the day after the last).</summary>
    public static readonly DateOnly FirstDate = new(2000, 1, 1);

    public static readonly DateOnly LastDate = new(2999, 12, 31);

    private static readonly string[] s_columns = ["date", "reference", "amount", "currency"];
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The statement's lines, or the first problem found.</summary>
    public static (IReadOnlyList<BankStatementLine> Lines, BankStatementProblem? Problem) Parse(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        var lines = new List<BankStatementLine>();
        var lineNumber = 0;
        var sawHeader = false;
        while (!body.IsEmpty)
        {
            lineNumber++;
            var end = body.IndexOf((byte)'\n');
            var raw = end < 0 ? body : body[..end];
            body = end < 0 ? [] : body[(end + 1)..];
            if (raw.EndsWith("\r"u8))
            {
                raw = raw[..^1];
            }

            if (raw.Length > MaxLineBytes)
            {
                return Fail(lineNumber, null, $"The line is longer than {MaxLineBytes} bytes.");
            }

            if (raw.IsEmpty)
            {
                continue;
            }

            var (fields, problem) = Split(raw, lineNumber);
            if (problem is not null)
            {
                return ([], problem);
            }

            if (!sawHeader)
            {
                if (fields.Count != s_columns.Length || !fields.Select(field => field.Trim().ToLowerInvariant()).SequenceEqual(s_columns))
                {
                    return Fail(lineNumber, "header", "The first line is the header date,reference,amount,currency.");
                }

                sawHeader = true;
                continue;
            }

            if (lines.Count == MaxLines)
            {
                return Fail(lineNumber, null, $"A statement has at most {MaxLines} lines after the header.");
            }

            var (line, invalid) = Read(fields, lineNumber);
            if (invalid is not null)
            {
                return ([], invalid);
            }

            lines.Add(line!);
        }

        return sawHeader ? (lines, null) : Fail(1, "header", "The statement is empty; its first line is the header date,reference,amount,currency.");
    }

    private static (BankStatementLine? Line, BankStatementProblem? Problem) Read(List<string> fields, int lineNumber)
    {
        if (fields.Count != s_columns.Length)
        {
            return (null, new BankStatementProblem(lineNumber, null, $"The line has {fields.Count} fields; a line has {s_columns.Length}: date,reference,amount,currency."));
        }

        if (!DateOnly.TryParseExact(fields[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || date < FirstDate || date > LastDate)
        {
            return (null, new BankStatementProblem(lineNumber, "date", $"date is a day as yyyy-MM-dd, from {FirstDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} to {LastDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}."));
        }

        var reference = fields[1].Trim();
        if (reference.Length is 0 or > MaxReferenceLength || reference.Any(char.IsControl))
        {
            return (null, new BankStatementProblem(lineNumber, "reference", $"reference is 1 to {MaxReferenceLength} printable characters."));
        }

        var amountText = fields[2].Trim();
        var digits = amountText.StartsWith('-') ? amountText[1..] : amountText;
        if (digits.Length is 0 or > 18 || !digits.All(char.IsAsciiDigit) || long.Parse(digits, CultureInfo.InvariantCulture) == 0)
        {
            return (null, new BankStatementProblem(lineNumber, "amount", "amount is a non-zero integer in minor units (cents), at most 18 digits."));
        }

        var currency = fields[3].Trim();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            return (null, new BankStatementProblem(lineNumber, "currency", "currency is a three-letter ISO 4217 code in capitals."));
        }

        return (new BankStatementLine(lineNumber, date, reference, long.Parse(digits, CultureInfo.InvariantCulture), currency), null);
    }

    /// <summary>Splits a line at commas outside double quotes, decoding each field as strict UTF-8.</summary>
    private static (List<string> Fields, BankStatementProblem? Problem) Split(ReadOnlySpan<byte> raw, int lineNumber)
    {
        var fields = new List<string>(4);
        var field = new List<byte>(raw.Length);
        var quoted = false;
        for (var i = 0; i <= raw.Length; i++)
        {
            if (i == raw.Length || (raw[i] == (byte)',' && !quoted))
            {
                if (quoted)
                {
                    return (fields, new BankStatementProblem(lineNumber, FieldName(fields.Count), "A quoted field is not closed."));
                }

                try
                {
                    fields.Add(s_strictUtf8.GetString([.. field]));
                }
                catch (DecoderFallbackException)
                {
                    return (fields, new BankStatementProblem(lineNumber, FieldName(fields.Count), "The field is not valid UTF-8; statements are UTF-8."));
                }

                field.Clear();
            }
            else if (raw[i] == (byte)'"')
            {
                if (quoted && i + 1 < raw.Length && raw[i + 1] == (byte)'"')
                {
                    field.Add((byte)'"');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else
            {
                field.Add(raw[i]);
            }
        }

        return (fields, null);
    }

    private static string? FieldName(int index) => index < s_columns.Length ? s_columns[index] : null;

    private static (IReadOnlyList<BankStatementLine>, BankStatementProblem?) Fail(int line, string? field, string message) => ([], new BankStatementProblem(line, field, message));
}
