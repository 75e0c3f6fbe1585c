namespace Payments.Grains.Interfaces.Errors;

/// <summary>
/// A database CHECK constraint refused a value (SQLSTATE 23514, check_violation): bad input that got past the
/// validation in front of it. The silo throws this in place of Npgsql's exception, which Orleans cannot carry to a
/// client as itself; the API answers it with 400 VALIDATION_ERROR, never a 500. It carries no database text.
/// </summary>
[GenerateSerializer]
public sealed class ConstraintViolationException : Exception
{
    public ConstraintViolationException()
        : this("A value was refused by a database constraint.")
    {
    }

    public ConstraintViolationException(string message)
        : base(message)
    {
    }

    public ConstraintViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConstraintViolationException(string constraint, string? field)
        : base($"A value was refused by the database constraint {constraint}.")
    {
        Constraint = constraint;
        Field = field;
    }

    /// <summary>The constraint's name, e.g. <c>users_display_name_check</c>.</summary>
    [Id(0)]
    public string? Constraint { get; set; }

    /// <summary>The API field the constraint is about (camelCase), when its name tells: <c>users_display_name_check</c> is <c>displayName</c>.</summary>
    [Id(1)]
    public string? Field { get; set; }

    /// <summary>The field a constraint named <c>{table}_{column}_check</c> (PostgreSQL's default name) is about; null otherwise.</summary>
    public static string? FieldOf(string? table, string? constraint)
    {
        const string suffix = "_check";
        if (string.IsNullOrEmpty(table) || constraint is null
            || !constraint.StartsWith(table + "_", StringComparison.Ordinal) || !constraint.EndsWith(suffix, StringComparison.Ordinal)
            || constraint.Length <= table.Length + 1 + suffix.Length)
        {
            return null;
        }

        var column = constraint[(table.Length + 1)..^suffix.Length];
        var parts = column.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0
            ? null
            : parts[0] + string.Concat(parts.Skip(1).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
    }
}
