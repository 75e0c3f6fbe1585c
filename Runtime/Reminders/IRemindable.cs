namespace Orleans.Payments.Runtime;

/// <summary>
/// A grain that receives durable reminders. The grain interface must extend this one so the reminder service can
/// call it like any other caller (the call is routed to the grain's owning silo and activates the grain if needed).
/// </summary>
public interface IRemindable : IGrainWithStringKey
{
    /// <summary>Called when the reminder <paramref name="name"/> is due; an exception is logged and the next period still fires.</summary>
    Task ReceiveReminder(string name);
}
