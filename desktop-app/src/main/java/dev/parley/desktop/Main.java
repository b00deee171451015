package dev.parley.desktop;

public final class Main {
    public static void main(String[] args) {
    }
}
