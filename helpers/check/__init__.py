"""Checkers for the exercises, one module per chapter: call one on your answer and it says, in one
line, whether it is right, and if not, what is wrong and what the likely mistake is.

    from helpers.check import sigmoid_softmax as check
    check.stable_softmax(my_softmax)   # ✔ stable_softmax: passed   or   ✘ ...: what failed

verdict            the one-line Verdict and the @checker decorator every checker uses
sigmoid_softmax    chapter 1         gradient_descent       chapter 2
xor                chapter 3         mnist_from_scratch     chapter 4
autograd           chapter 5         backprop_three_ways    chapter 6
mlp_pytorch        chapter 7         training_better        chapter 8
cnn                chapter 9         results                chapter 10
performance        chapter 11        speed_run              chapter 12
data_parallel      chapter 13
"""
