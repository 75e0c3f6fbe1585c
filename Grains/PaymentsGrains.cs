namespace Orleans.Payments.Grains;

/// <summary>Names this assembly for the silo's grain registration.</summary>
public static class PaymentsGrains;
