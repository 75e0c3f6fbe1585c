using Payments.Infrastructure.Streams;

namespace Payments.ApiFrontend.Apis;

/// <summary>A page of the stream dead-letter table, oldest first.</summary>
public sealed record DeadLetterPage(IReadOnlyList<StreamDeadLetter> Data, bool HasMore);
